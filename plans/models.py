"""Regioplannen: the yearly plan of a region, its review, versions, comments and reminders.

A plan's text lives as Markdown per section in `RegionPlan.sections` (a JSON object keyed by
`Section`). Each submission freezes the text and the region's data panel into a `PlanVersion`,
so what the coordinator reviewed stays readable and comparable after later edits.

Status changes are compare-and-swap updates (`UPDATE ... WHERE status = <expected>`): of two
people acting at once, exactly one wins, and the other gets a clear message.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.roles import Role, acting_as


class Section(models.TextChoices):
    """The structured sections of a regioplan, in the order they are written and printed."""

    CONTEXT = "context", _("Context en arbeidsmarktanalyse (tekort- en krimpberoepen)")
    THEMES = "themes", _("Thema's en agenda")
    ROLE_INTEREST = "role_interest", _("Rol: belangenbehartiger")
    ROLE_BOARD = "role_board", _("Rol: bestuurder")
    ROLE_DRIVER = "role_driver", _("Rol: aanjager en waakhond")
    ROLE_SERVICE = "role_service", _("Rol: dienstverlener")
    TRANSITION_INTO_WORK = "transition_into_work", _("Transitie: van niet-werk naar werk")
    TRANSITION_SCHOOL = "transition_school", _("Transitie: school en werk")
    TRANSITION_WORK_TO_WORK = (
        "transition_work_to_work",
        _("Transitie: van werk naar werk en leven lang ontwikkelen"),
    )
    TRANSITION_OUT_OF_WORK = (
        "transition_out_of_work",
        _("Transitie: van werk naar (tijdelijk) geen werk"),
    )
    BOARDS = "boards", _("Besturen en sectortafels")
    FUNDS = "funds", _("Fondsen: ESF, EFRO, JTF en O&O-fondsen")
    SECTORS = "sectors", _("Samenwerking met sectoren")
    CAMPAIGNS = "campaigns", _("Campagnes en lokale netwerken")
    RESULTS = "results", _("Resultaten en indicatoren")


SECTION_HELP = {
    Section.CONTEXT: _(
        "Ontwikkelingen in de regio (demografie, technologie, transities, arbeidsmarkt); "
        "tekortberoepen en krimpberoepen."
    ),
    Section.THEMES: _("De thema's en de agenda van de FNV in deze regio."),
    Section.ROLE_INTEREST: _("Collectieve afspraken in de arbeidsmarktregio."),
    Section.ROLE_BOARD: _("Bestuurlijke rol in werkbedrijf, RMT en andere gremia."),
    Section.ROLE_DRIVER: _("Waar jagen we aan, waar houden we toezicht?"),
    Section.ROLE_SERVICE: _("Loopbaan FNV, VWNW-trajecten, spreekuren werk & inkomen."),
    Section.TRANSITION_INTO_WORK: _("Werkzoekenden (WW, Participatiewet), RMT, jeugdwerkloosheid."),
    Section.TRANSITION_SCHOOL: _("Van school naar werk en van werk naar school."),
    Section.TRANSITION_WORK_TO_WORK: _("Leerwerkloketten, scholing, leerambassadeurs."),
    Section.TRANSITION_OUT_OF_WORK: _(
        "Duurzame inzetbaarheid, mantelzorg, toegroeien naar pensioen."
    ),
    Section.BOARDS: _("Besturen, werkkamers en sectortafels waar de FNV aan deelneemt."),
    Section.FUNDS: _("Welke middelen sturen we mee aan, en waarvoor?"),
    Section.SECTORS: _("Afspraken met FNV-sectoren en O&O-fondsen."),
    Section.CAMPAIGNS: _("Campagnes, vakbondshuizen en lokale netwerken."),
    Section.RESULTS: _("Wat willen we bereiken, en hoe meten we het?"),
}


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Concept")
    SUBMITTED = "submitted", _("Ingediend")
    IN_REVIEW = "in_review", _("In beoordeling")
    CHANGES_REQUESTED = "changes_requested", _("Wijzigingen gevraagd")
    RESUBMITTED = "resubmitted", _("Opnieuw ingediend")
    APPROVED = "approved", _("Goedgekeurd")


class PlanAction(models.TextChoices):
    SUBMIT = "submit", _("Indienen")
    START_REVIEW = "start_review", _("Beoordeling starten")
    REQUEST_CHANGES = "request_changes", _("Wijzigingen vragen")
    RESUBMIT = "resubmit", _("Opnieuw indienen")
    APPROVE = "approve", _("Goedkeuren")


# action -> (states it may start from, state it leads to, who may do it)
AUTHOR = "author"
REVIEWER = "reviewer"
TRANSITIONS: dict[str, tuple[frozenset[str], str, str]] = {
    PlanAction.SUBMIT: (frozenset({PlanStatus.DRAFT}), PlanStatus.SUBMITTED, AUTHOR),
    PlanAction.START_REVIEW: (
        frozenset({PlanStatus.SUBMITTED, PlanStatus.RESUBMITTED}),
        PlanStatus.IN_REVIEW,
        REVIEWER,
    ),
    PlanAction.REQUEST_CHANGES: (
        frozenset({PlanStatus.IN_REVIEW}),
        PlanStatus.CHANGES_REQUESTED,
        REVIEWER,
    ),
    PlanAction.RESUBMIT: (
        frozenset({PlanStatus.CHANGES_REQUESTED}),
        PlanStatus.RESUBMITTED,
        AUTHOR,
    ),
    PlanAction.APPROVE: (frozenset({PlanStatus.IN_REVIEW}), PlanStatus.APPROVED, REVIEWER),
}
EDITABLE_STATUSES = frozenset({PlanStatus.DRAFT, PlanStatus.CHANGES_REQUESTED})
WAITING_FOR_REVIEW = frozenset({PlanStatus.SUBMITTED, PlanStatus.RESUBMITTED})


class RegionPlanQuerySet(models.QuerySet):
    def visible_to(self, user) -> RegionPlanQuerySet:
        """The one scoping rule: regional officials and coordinators see their regions' plans."""
        if not acting_as(user):
            return self.none()
        if user.role in (Role.REGIONAL_OFFICIAL, Role.COORDINATOR):
            return self.filter(region__in=user.regions.all())
        return self.none()

    def awaiting_review_by(self, user) -> RegionPlanQuerySet:
        """Plans waiting for a coordinator, and those in their own review; never ones they wrote."""
        if getattr(user, "role", None) != Role.COORDINATOR:
            return self.none()
        return (
            self.visible_to(user)
            .filter(
                Q(status__in=WAITING_FOR_REVIEW) | Q(status=PlanStatus.IN_REVIEW, reviewer=user)
            )
            .exclude(authors=user)
            .exclude(versions__submitted_by=user)
        )  # no DISTINCT: every condition is on the plan or a subquery, no join repeats a row

    def needing_work_by(self, user) -> RegionPlanQuerySet:
        if getattr(user, "role", None) != Role.REGIONAL_OFFICIAL:
            return self.none()
        return self.visible_to(user).filter(status__in=EDITABLE_STATUSES)


class RegionPlan(models.Model):
    """The regioplan of one region for one year."""

    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="plans", verbose_name=_("regio")
    )
    year = models.PositiveSmallIntegerField(_("jaar"))
    status = models.CharField(
        _("status"), max_length=20, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    status_changed_at = models.DateTimeField(_("status gewijzigd op"), default=timezone.now)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    sections = models.JSONField(_("tekst per onderdeel (Markdown)"), default=dict, blank=True)
    authors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="authored_plans",
        verbose_name=_("schrijvers"),
        help_text=_(
            "Iedereen die aan de tekst heeft geschreven; zij mogen het plan niet goedkeuren."
        ),
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reviewed_plans",
        verbose_name=_("beoordelaar"),
    )
    previous = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="next_plans",
        verbose_name=_("plan van vorig jaar"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("aangemaakt door"),
    )
    is_demo = models.BooleanField(_("demodata"), default=False)
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    updated_at = models.DateTimeField(_("gewijzigd op"), auto_now=True)

    objects = RegionPlanQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "region__name"]
        verbose_name = _("regioplan")
        verbose_name_plural = _("regioplannen")
        constraints = [
            models.UniqueConstraint(fields=["region", "year"], name="plan_one_per_region_year"),
            models.CheckConstraint(
                condition=Q(year__gte=2023) & Q(year__lte=2100), name="plan_year_sensible"
            ),
        ]

    def __str__(self) -> str:
        return f"Regioplan {self.region} {self.year}"

    def section_text(self, section: str) -> str:
        return (self.sections or {}).get(section, "")

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES

    @property
    def latest_version(self) -> PlanVersion | None:
        return self.versions.order_by("-number").first()

    def author_ids(self) -> set[int]:
        """Everyone who wrote or submitted this plan, whatever their role is today."""
        ids = set(self.authors.values_list("pk", flat=True))
        ids |= set(self.versions.exclude(submitted_by=None).values_list("submitted_by", flat=True))
        return ids

    def allowed_actions(self) -> list[str]:
        return [
            action for action, (sources, _to, _who) in TRANSITIONS.items() if self.status in sources
        ]

    def _swap_status(self, action: str, **extra) -> None:
        """Move to the action's target state only if the row is still in a state it may start from.

        A conditional UPDATE, so two people acting at once cannot both succeed; the instance is
        updated in memory when this one won.
        """
        sources, target, _who = TRANSITIONS[action]
        if self.status not in sources:
            raise ValidationError(illegal_transition_message(action, self.status), code="illegal")
        now = timezone.now()
        changed = RegionPlan.objects.filter(pk=self.pk, status__in=sources).update(
            status=target, status_changed_at=now, updated_at=now, **extra
        )
        if not changed:
            self.refresh_from_db(fields=["status"])
            raise ValidationError(
                _(
                    "Iemand anders heeft de status van dit plan net gewijzigd (nu: %(status)s). "
                    "Bekijk het plan opnieuw."
                ),
                params={"status": self.get_status_display()},
                code="conflict",
            )
        self.status = target
        self.status_changed_at = now
        for field, value in extra.items():
            setattr(self, field, value)

    def submit(self) -> None:
        """Draft → submitted: the authors hand the plan to the region's coordinator."""
        self._swap_status(PlanAction.SUBMIT)

    def start_review(self, *, reviewer) -> None:
        """Submitted or resubmitted → in review: a coordinator takes the plan on."""
        self._swap_status(PlanAction.START_REVIEW, reviewer_id=reviewer.pk)

    def request_changes(self) -> None:
        """In review → changes requested: the text goes back to the authors."""
        self._swap_status(PlanAction.REQUEST_CHANGES)

    def resubmit(self) -> None:
        """Changes requested → resubmitted: the authors answered the comments."""
        self._swap_status(PlanAction.RESUBMIT)

    def approve(self) -> None:
        """In review → approved: final for this year."""
        self._swap_status(PlanAction.APPROVE)


def illegal_transition_message(action: str, status: str) -> str:
    return str(
        _("Dit kan niet: ‘%(action)s’ is niet mogelijk als het plan de status ‘%(status)s’ heeft.")
        % {"action": PlanAction(action).label, "status": PlanStatus(status).label}
    )


class PlanVersion(models.Model):
    """One submission, frozen: the text, the data panel as it was, who submitted it and when."""

    plan = models.ForeignKey(
        RegionPlan, on_delete=models.CASCADE, related_name="versions", verbose_name=_("plan")
    )
    number = models.PositiveSmallIntegerField(_("versie"))
    sections = models.JSONField(_("tekst per onderdeel"), default=dict, blank=True)
    panel = models.JSONField(_("cijfers"), default=dict, blank=True)
    panel_taken_at = models.DateTimeField(_("cijfers opgehaald op"))
    panel_since = models.DateField(_("cijfers vanaf"))
    panel_until = models.DateField(_("cijfers tot en met"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("ingediend door"),
    )
    submitted_at = models.DateTimeField(_("ingediend op"), default=timezone.now)

    class Meta:
        ordering = ["plan", "number"]
        verbose_name = _("versie van een regioplan")
        verbose_name_plural = _("versies van regioplannen")
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="plan_version_unique_number")
        ]

    def __str__(self) -> str:
        return f"{self.plan} v{self.number}"


class CommentStatus(models.TextChoices):
    OPEN = "open", _("Open")
    RESOLVED = "resolved", _("Afgehandeld")


class SectionComment(models.Model):
    """A comment on one section, visible to authors and reviewers; open until resolved."""

    plan = models.ForeignKey(
        RegionPlan, on_delete=models.CASCADE, related_name="comments", verbose_name=_("plan")
    )
    section = models.CharField(_("onderdeel"), max_length=30, choices=Section.choices)
    version = models.ForeignKey(
        PlanVersion,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="comments",
        verbose_name=_("bij versie"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("door"),
    )
    text = models.TextField(_("opmerking"), max_length=4000)
    status = models.CharField(
        _("status"), max_length=10, choices=CommentStatus.choices, default=CommentStatus.OPEN
    )
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("afgehandeld door"),
    )
    resolved_at = models.DateTimeField(_("afgehandeld op"), null=True, blank=True)
    created_at = models.DateTimeField(_("geplaatst op"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("opmerking bij een onderdeel")
        verbose_name_plural = _("opmerkingen bij onderdelen")
        indexes = [models.Index(fields=["plan", "section"])]

    def __str__(self) -> str:
        return f"{self.plan} / {self.get_section_display()}"

    def resolve(self, *, by) -> bool:
        """Open → resolved, once; returns False when someone else resolved it first."""
        now = timezone.now()
        changed = SectionComment.objects.filter(pk=self.pk, status=CommentStatus.OPEN).update(
            status=CommentStatus.RESOLVED, resolved_by=by, resolved_at=now
        )
        if changed:
            self.status, self.resolved_by, self.resolved_at = CommentStatus.RESOLVED, by, now
        return bool(changed)


class ReviewerNote(models.Model):
    """A private note of a reviewer: coordinators of the region see it, authors never."""

    plan = models.ForeignKey(
        RegionPlan, on_delete=models.CASCADE, related_name="reviewer_notes", verbose_name=_("plan")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("door"),
    )
    text = models.TextField(_("notitie"), max_length=4000)
    created_at = models.DateTimeField(_("geplaatst op"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("notitie van een beoordelaar")
        verbose_name_plural = _("notities van beoordelaars")

    def __str__(self) -> str:
        return f"{self.plan} / notitie"


class ReminderKind(models.TextChoices):
    DEADLINE = "deadline", _("Deadline nadert")
    REVIEW_WAITING = "review_waiting", _("Beoordeling wacht")
    OVERDUE = "overdue", _("Deadline verstreken")
    CHANGES_WAITING = "changes_waiting", _("Gevraagde wijzigingen wachten")


class PlanReminder(models.Model):
    """Due work as a row: made once per (plan, kind, key), sent once, marked when sent.

    `key` tells reminders of one kind apart: the number of days before the deadline, or the
    version number that waits for review. The unique constraint makes creating them idempotent;
    the sender claims unsent rows with SELECT ... FOR UPDATE SKIP LOCKED.
    """

    plan = models.ForeignKey(
        RegionPlan, on_delete=models.CASCADE, related_name="reminders", verbose_name=_("plan")
    )
    kind = models.CharField(_("soort"), max_length=20, choices=ReminderKind.choices)
    key = models.CharField(_("sleutel"), max_length=30)
    due_at = models.DateTimeField(_("versturen vanaf"))
    sent_at = models.DateTimeField(_("verstuurd op"), null=True, blank=True)
    recipient_count = models.PositiveSmallIntegerField(_("aantal ontvangers"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_at"]
        verbose_name = _("herinnering")
        verbose_name_plural = _("herinneringen")
        constraints = [
            models.UniqueConstraint(fields=["plan", "kind", "key"], name="plan_reminder_once")
        ]
        indexes = [
            models.Index(
                fields=["due_at"], condition=Q(sent_at__isnull=True), name="plan_reminder_unsent"
            )
        ]

    def __str__(self) -> str:
        return f"{self.plan} / {self.get_kind_display()} {self.key}"


class NotStartedReminder(models.Model):
    """A weekly reminder to a region that has not started its plan for a year, once the date
    by which every region should have started has passed (PLANS_START_BY). There is no plan
    to hang it on, so it is kept per region and year; otherwise it works as PlanReminder."""

    region = models.ForeignKey(
        "regions.Region", on_delete=models.CASCADE, related_name="+", verbose_name=_("regio")
    )
    year = models.PositiveSmallIntegerField(_("jaar"))
    key = models.CharField(_("sleutel"), max_length=30)
    due_at = models.DateTimeField(_("versturen vanaf"))
    sent_at = models.DateTimeField(_("verstuurd op"), null=True, blank=True)
    recipient_count = models.PositiveSmallIntegerField(_("aantal ontvangers"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_at"]
        verbose_name = _("herinnering: nog niet begonnen")
        verbose_name_plural = _("herinneringen: nog niet begonnen")
        constraints = [
            models.UniqueConstraint(
                fields=["region", "year", "key"], name="plan_not_started_reminder_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.region_id} {self.year} {self.key}"


class CoordinatorDigest(models.Model):
    """The weekly overview a coordinator gets of what awaits them; one row per coordinator and
    week, made before it is sent, so that two runs at once send it once."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(_("week"), max_length=12)
    sent_at = models.DateTimeField(_("verstuurd op"), null=True, blank=True)
    item_count = models.PositiveSmallIntegerField(_("aantal punten"), default=0)

    class Meta:
        verbose_name = _("weekoverzicht coördinator")
        verbose_name_plural = _("weekoverzichten coördinatoren")
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="plan_digest_once_per_week")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.key}"
