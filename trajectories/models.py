"""Trajectories and Van Werk Naar Werk: participants, trajectories and their advisers, the intake
queue, plans of action with goals, versions and reviews, progress notes, workshops with
enrolments and a waiting list, collective cases, and the outcome when a trajectory ends.

Who may see what is written once per model, in its `visible_to(user)` queryset method:

- a trajectory adviser sees the trajectories assigned to them, and the open intake requests of
  their regions;
- a member sees their own trajectory (never progress notes or plan versions);
- coordinators see aggregates only (the outcome pages count, never name);
- everyone else sees nothing (404).
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.roles import Role, acting_as

DEFAULT_REVIEW_INTERVAL_WEEKS = 4


# --- participants ------------------------------------------------------------------------------


class ConsentSource(models.TextChoices):
    IN_PERSON = "in_person", _("in een gesprek")
    PHONE = "phone", _("telefonisch")
    FORM = "form", _("op papier of via een formulier")
    MOBILITY_TEAM = "mobility_team", _("via het regionale mobiliteitsteam")


class ParticipantQuerySet(models.QuerySet):
    def visible_to(self, user) -> ParticipantQuerySet:
        """Advisers see the non-member participants of their own trajectories and of the open
        intake requests of their regions; nobody else sees them in the portal."""
        if not acting_as(user, Role.ADVISER):
            return self.none()
        return self.filter(
            Q(trajectories__adviser=user)
            | Q(
                intake_requests__status=IntakeStatus.OPEN,
                intake_requests__region__in=user.regions.all(),
            )
        ).distinct()


class Participant(models.Model):
    """A non-member in a mobility-team trajectory. Only the data needed to guide them, and
    their recorded consent (when and how) to keep it."""

    first_name = models.CharField(_("voornaam"), max_length=80)
    last_name = models.CharField(_("achternaam"), max_length=120)
    email = models.EmailField(_("e-mailadres"), blank=True)
    phone = models.CharField(_("telefoon"), max_length=30, blank=True)
    external_reference = models.CharField(
        _("externe referentie"),
        max_length=40,
        blank=True,
        help_text=_("Bijvoorbeeld het registratienummer van het regionale mobiliteitsteam."),
    )
    consent_at = models.DateTimeField(_("toestemming gegeven op"))
    consent_source = models.CharField(
        _("toestemming gegeven"), max_length=20, choices=ConsentSource.choices
    )
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("regio")
    )
    created_by = models.ForeignKey(
        "members.User", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    is_demo = models.BooleanField(_("demodata"), default=False)

    objects = ParticipantQuerySet.as_manager()

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name = _("deelnemer (geen lid)")
        verbose_name_plural = _("deelnemers (geen lid)")

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


# --- collective cases --------------------------------------------------------------------------


class CollectiveCaseKind(models.TextChoices):
    BANKRUPTCY = "bankruptcy", _("faillissement")
    REORGANISATION = "reorganisation", _("reorganisatie")


class CollectiveCaseQuerySet(models.QuerySet):
    def visible_to(self, user) -> CollectiveCaseQuerySet:
        """Advisers and coordinators of the case's region (the page shows counts only)."""
        if not acting_as(user, Role.ADVISER, Role.COORDINATOR):
            return self.none()
        return self.filter(region__in=user.regions.all())


class CollectiveCase(models.Model):
    """A bankruptcy or reorganisation at an employer that puts a group into trajectories."""

    name = models.CharField(_("naam"), max_length=200)
    kind = models.CharField(_("soort"), max_length=20, choices=CollectiveCaseKind.choices)
    employer = models.ForeignKey(
        "members.Employer",
        on_delete=models.PROTECT,
        related_name="collective_cases",
        verbose_name=_("werkgever"),
    )
    region = models.ForeignKey(
        "regions.Region",
        on_delete=models.PROTECT,
        related_name="collective_cases",
        verbose_name=_("regio"),
    )
    announced_on = models.DateField(_("bekend sinds"), default=datetime.date.today)
    description = models.TextField(_("toelichting"), blank=True)
    created_by = models.ForeignKey(
        "members.User", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    is_demo = models.BooleanField(_("demodata"), default=False)

    objects = CollectiveCaseQuerySet.as_manager()

    class Meta:
        ordering = ["-announced_on", "name"]
        verbose_name = _("collectieve zaak")
        verbose_name_plural = _("collectieve zaken")

    def __str__(self) -> str:
        return self.name


# --- intake queue ------------------------------------------------------------------------------


class IntakeSource(models.TextChoices):
    APPOINTMENT = "appointment", _("verwijzing uit een loopbaanafspraak")
    DIRECT = "direct", _("rechtstreekse aanvraag")


class IntakeStatus(models.TextChoices):
    OPEN = "open", _("wacht op een adviseur")
    TAKEN = "taken", _("opgepakt")
    WITHDRAWN = "withdrawn", _("ingetrokken")


class IntakeRequestQuerySet(models.QuerySet):
    def visible_to(self, user) -> IntakeRequestQuerySet:
        """An adviser sees the open requests of their regions and the ones they took on."""
        if not acting_as(user, Role.ADVISER):
            return self.none()
        return self.filter(
            Q(status=IntakeStatus.OPEN, region__in=user.regions.all()) | Q(taken_by=user)
        )

    def open(self) -> IntakeRequestQuerySet:
        return self.filter(status=IntakeStatus.OPEN)


class IntakeRequest(models.Model):
    """A person waiting for a trajectory adviser in a region: a referral or a direct request."""

    region = models.ForeignKey(
        "regions.Region",
        on_delete=models.PROTECT,
        related_name="intake_requests",
        verbose_name=_("regio"),
    )
    member = models.ForeignKey(
        "members.Member",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="intake_requests",
        verbose_name=_("lid"),
    )
    participant = models.ForeignKey(
        Participant,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="intake_requests",
        verbose_name=_("deelnemer (geen lid)"),
    )
    source = models.CharField(_("herkomst"), max_length=20, choices=IntakeSource.choices)
    source_id = models.BigIntegerField(_("herkomst-id"), null=True, blank=True)
    note = models.TextField(_("toelichting"), blank=True)
    collective_case = models.ForeignKey(
        CollectiveCase,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="intake_requests",
        verbose_name=_("collectieve zaak"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=IntakeStatus.choices, default=IntakeStatus.OPEN
    )
    taken_by = models.ForeignKey(
        "members.User",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("opgepakt door"),
    )
    taken_at = models.DateTimeField(_("opgepakt op"), null=True, blank=True)
    created_by = models.ForeignKey(
        "members.User",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("aangemaakt door"),
    )
    created_at = models.DateTimeField(_("binnengekomen op"), auto_now_add=True)
    is_demo = models.BooleanField(_("demodata"), default=False)

    objects = IntakeRequestQuerySet.as_manager()

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("intakeaanvraag")
        verbose_name_plural = _("intakewachtrij")
        constraints = [
            models.CheckConstraint(
                condition=Q(member__isnull=False, participant__isnull=True)
                | Q(member__isnull=True, participant__isnull=False),
                name="intake_member_xor_participant",
            ),
            # A referral that is delivered twice lands in the queue once.
            models.UniqueConstraint(
                fields=["source", "source_id"],
                condition=Q(source_id__isnull=False),
                name="intake_source_once",
            ),
        ]
        indexes = [models.Index(fields=["region", "status"])]

    def __str__(self) -> str:
        return f"Intake {self.pk}"

    @property
    def person_name(self) -> str:
        person = self.member or self.participant
        return person.display_name if person else ""

    def take(self, *, adviser) -> None:
        """The adviser takes this request on. Compare-and-swap on the status, so when two
        advisers press the button at once exactly one gets it; the other gets a message."""
        now = timezone.now()
        updated = IntakeRequest.objects.filter(pk=self.pk, status=IntakeStatus.OPEN).update(
            status=IntakeStatus.TAKEN, taken_by=adviser, taken_at=now
        )
        if updated != 1:
            raise ValidationError(
                _("Deze aanvraag is al door een andere adviseur opgepakt of ingetrokken.")
            )
        self.status, self.taken_by, self.taken_at = IntakeStatus.TAKEN, adviser, now

    def withdraw(self) -> None:
        """The person no longer wants a trajectory: the request leaves the queue."""
        updated = IntakeRequest.objects.filter(pk=self.pk, status=IntakeStatus.OPEN).update(
            status=IntakeStatus.WITHDRAWN
        )
        if updated != 1:
            raise ValidationError(_("Alleen een wachtende aanvraag kan worden ingetrokken."))
        self.status = IntakeStatus.WITHDRAWN


# --- trajectories ------------------------------------------------------------------------------


class TrajectoryKind(models.TextChoices):
    CAREER = "career", _("loopbaantraject")
    JOB_TO_JOB = "job_to_job", _("van werk naar werk (mobiliteitsteam)")


class TrajectoryReason(models.TextChoices):
    JOB_LOSS_THREATENED = "threatened", _("dreigend baanverlies")
    DISMISSED = "dismissed", _("ontslagen")
    REORGANISATION = "reorganisation", _("reorganisatie")
    BANKRUPTCY = "bankruptcy", _("faillissement")
    OTHER = "other", _("anders")


class TrajectoryStatus(models.TextChoices):
    INTAKE = "intake", _("intake")
    ACTIVE = "active", _("actief")
    COMPLETED = "completed", _("afgerond")
    STOPPED = "stopped", _("gestopt")


FINISHED_STATUSES = (TrajectoryStatus.COMPLETED, TrajectoryStatus.STOPPED)

# The only transitions there are; everything else is refused with a message.
TRANSITIONS: dict[str, set[str]] = {
    TrajectoryStatus.INTAKE: {TrajectoryStatus.ACTIVE, TrajectoryStatus.STOPPED},
    TrajectoryStatus.ACTIVE: {TrajectoryStatus.COMPLETED, TrajectoryStatus.STOPPED},
    TrajectoryStatus.COMPLETED: set(),
    TrajectoryStatus.STOPPED: set(),
}

REFUSALS: dict[tuple[str, str], str] = {
    (TrajectoryStatus.ACTIVE, TrajectoryStatus.ACTIVE): _("Dit traject is al gestart."),
    (TrajectoryStatus.INTAKE, TrajectoryStatus.COMPLETED): _(
        "Een traject in de intakefase kan niet worden afgerond; start het eerst of stop het."
    ),
    (TrajectoryStatus.STOPPED, TrajectoryStatus.STOPPED): _("Dit traject is al gestopt."),
    (TrajectoryStatus.COMPLETED, TrajectoryStatus.COMPLETED): _("Dit traject is al afgerond."),
}


class TrajectoryQuerySet(models.QuerySet):
    def visible_to(self, user) -> TrajectoryQuerySet:
        """An adviser sees the trajectories assigned to them; a member only their own."""
        if acting_as(user, Role.ADVISER):
            return self.filter(adviser=user)
        if acting_as(user, Role.MEMBER):
            return self.filter(member__user=user)
        return self.none()

    def reassignable_by(self, user) -> TrajectoryQuerySet:
        """Trajectories whose adviser this user may change: a coordinator those of their
        regions (the page shows no names), an adviser their own."""
        if acting_as(user, Role.COORDINATOR):
            return self.filter(region__in=user.regions.all())
        if acting_as(user, Role.ADVISER):
            return self.filter(adviser=user)
        return self.none()

    def running(self) -> TrajectoryQuerySet:
        return self.filter(status__in=[TrajectoryStatus.INTAKE, TrajectoryStatus.ACTIVE])

    def finished(self) -> TrajectoryQuerySet:
        return self.filter(status__in=FINISHED_STATUSES)


class Trajectory(models.Model):
    """A guided career or job-to-job trajectory of one member or one non-member participant."""

    # SET_NULL, so erasing a person leaves an anonymous trajectory and the counts stay right.
    member = models.ForeignKey(
        "members.Member",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="trajectories",
        verbose_name=_("lid"),
    )
    participant = models.ForeignKey(
        Participant,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="trajectories",
        verbose_name=_("deelnemer (geen lid)"),
    )
    adviser = models.ForeignKey(
        "members.User",
        on_delete=models.PROTECT,
        related_name="trajectories",
        verbose_name=_("trajectadviseur"),
        limit_choices_to={"role": Role.ADVISER},
    )
    kind = models.CharField(_("soort traject"), max_length=20, choices=TrajectoryKind.choices)
    reason = models.CharField(_("aanleiding"), max_length=20, choices=TrajectoryReason.choices)
    employer = models.ForeignKey(
        "members.Employer",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("werkgever"),
    )
    region = models.ForeignKey(
        "regions.Region",
        on_delete=models.PROTECT,
        related_name="trajectories",
        verbose_name=_("regio"),
    )
    collective_case = models.ForeignKey(
        CollectiveCase,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="trajectories",
        verbose_name=_("collectieve zaak"),
    )
    intake_request = models.OneToOneField(
        IntakeRequest,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="trajectory",
        verbose_name=_("intakeaanvraag"),
    )
    started_on = models.DateField(_("gestart op"), default=datetime.date.today)
    agreed_end_on = models.DateField(_("afgesproken einde begeleiding"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=TrajectoryStatus.choices,
        default=TrajectoryStatus.INTAKE,
    )
    stop_reason = models.CharField(_("reden van stoppen"), max_length=300, blank=True)
    ended_at = models.DateTimeField(_("beëindigd op"), null=True, blank=True)
    shared_summary = models.TextField(
        _("samenvatting voor de deelnemer"),
        blank=True,
        help_text=_("Deze tekst ziet de deelnemer op de eigen trajectpagina."),
    )
    shared_summary_updated_at = models.DateTimeField(
        null=True, blank=True, verbose_name=_("gedeelde samenvatting gewijzigd op")
    )
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    is_demo = models.BooleanField(_("demodata"), default=False)

    objects = TrajectoryQuerySet.as_manager()

    class Meta:
        ordering = ["-started_on", "-pk"]
        verbose_name = _("traject")
        verbose_name_plural = _("trajecten")
        constraints = [
            # One person per trajectory; none left after an erasure.
            models.CheckConstraint(
                condition=Q(member__isnull=True) | Q(participant__isnull=True),
                name="trajectory_one_person",
            ),
            models.CheckConstraint(
                condition=~Q(status="stopped") | ~Q(stop_reason=""),
                name="trajectory_stopped_has_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["adviser", "status"]),
            models.Index(fields=["region", "status"]),
        ]

    def __str__(self) -> str:
        return _("Traject %(number)s") % {"number": self.pk}

    @property
    def person(self):
        return self.member or self.participant

    @property
    def person_name(self) -> str:
        return self.person.display_name if self.person else str(_("(gewist)"))

    @property
    def is_finished(self) -> bool:
        return self.status in FINISHED_STATUSES

    def clean(self) -> None:
        super().clean()
        if self._state.adding and bool(self.member_id) == bool(self.participant_id):
            raise ValidationError(
                _("Een traject hoort bij één lid of bij één deelnemer die geen lid is.")
            )
        if self.agreed_end_on and self.started_on and self.agreed_end_on < self.started_on:
            raise ValidationError(
                {"agreed_end_on": _("Het einde van de begeleiding ligt vóór de start.")}
            )

    def _transition(self, target: str, **fields) -> None:
        """Move to `target` if that is allowed from the status in the database right now.

        Compare-and-swap: the UPDATE only matches while the status is still the one read, so
        of two changes at once exactly one wins; the other is refused with a message.
        """
        current = self.status
        if target not in TRANSITIONS[current]:
            raise ValidationError(
                REFUSALS.get(
                    (current, target),
                    _("Een traject met status “%(current)s” kan niet naar “%(target)s”.")
                    % {
                        "current": TrajectoryStatus(current).label,
                        "target": TrajectoryStatus(target).label,
                    },
                )
            )
        updated = Trajectory.objects.filter(pk=self.pk, status=current).update(
            status=target, **fields
        )
        if updated != 1:
            raise ValidationError(
                _("Dit traject is intussen door iemand anders gewijzigd; laad de pagina opnieuw.")
            )
        self.status = target
        for name, value in fields.items():
            setattr(self, name, value)

    def activate(self) -> None:
        """The intake is done and the guidance starts (usually when the plan is agreed)."""
        self._transition(TrajectoryStatus.ACTIVE)

    def complete(self) -> None:
        """The guidance ended as agreed; the outcome is recorded with it (see services)."""
        self._transition(TrajectoryStatus.COMPLETED, ended_at=timezone.now())

    def stop(self, *, reason: str) -> None:
        """The trajectory ends early (the participant withdraws, moves away, ...); a reason is
        required so the figures can tell a stop from a completion."""
        reason = (reason or "").strip()
        if not reason:
            raise ValidationError(_("Geef een reden op waarom het traject stopt."))
        self._transition(
            TrajectoryStatus.STOPPED, stop_reason=reason[:300], ended_at=timezone.now()
        )


class AdviserAssignmentQuerySet(models.QuerySet):
    def visible_to(self, user) -> AdviserAssignmentQuerySet:
        if not acting_as(user, Role.ADVISER):
            return self.none()
        return self.filter(trajectory__adviser=user)


class AdviserAssignment(models.Model):
    """Who guided a trajectory when. Reassigning ends the open row and opens a new one."""

    trajectory = models.ForeignKey(
        Trajectory, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("traject")
    )
    adviser = models.ForeignKey(
        "members.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("adviseur")
    )
    started_at = models.DateTimeField(_("vanaf"), default=timezone.now)
    ended_at = models.DateTimeField(_("tot"), null=True, blank=True)
    assigned_by = models.ForeignKey(
        "members.User",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("toegewezen door"),
    )
    reason = models.CharField(_("reden"), max_length=200, blank=True)

    objects = AdviserAssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["started_at", "pk"]
        verbose_name = _("toewijzing")
        verbose_name_plural = _("toewijzingen")
        constraints = [
            models.UniqueConstraint(
                fields=["trajectory"],
                condition=Q(ended_at__isnull=True),
                name="one_open_assignment_per_trajectory",
            )
        ]

    def __str__(self) -> str:
        return f"{self.adviser} ({self.started_at:%d-%m-%Y})"


# --- plan of action ----------------------------------------------------------------------------


class ActionPlanQuerySet(models.QuerySet):
    def visible_to(self, user) -> ActionPlanQuerySet:
        return self.filter(trajectory__in=Trajectory.objects.visible_to(user))


class ActionPlan(models.Model):
    """The plan of action of a trajectory: goals, agreed with the participant."""

    trajectory = models.OneToOneField(
        Trajectory, on_delete=models.CASCADE, related_name="plan", verbose_name=_("traject")
    )
    agreed_at = models.DateTimeField(_("afgesproken op"), null=True, blank=True)
    review_interval_weeks = models.PositiveSmallIntegerField(
        _("evaluatie elke (weken)"), default=DEFAULT_REVIEW_INTERVAL_WEEKS
    )
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("gewijzigd op"))

    objects = ActionPlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("plan van aanpak")
        verbose_name_plural = _("plannen van aanpak")

    def __str__(self) -> str:
        return _("Plan van aanpak, traject %(number)s") % {"number": self.trajectory_id}

    @property
    def is_agreed(self) -> bool:
        return self.agreed_at is not None

    def snapshot(self) -> dict:
        """What the plan says now, as plain JSON for a version."""
        return {
            "agreed_at": self.agreed_at.isoformat() if self.agreed_at else None,
            "review_interval_weeks": self.review_interval_weeks,
            "agreed_end_on": self.trajectory.agreed_end_on.isoformat()
            if self.trajectory.agreed_end_on
            else None,
            "goals": [
                {
                    "id": goal.pk,
                    "description": goal.description,
                    "due_on": goal.due_on.isoformat() if goal.due_on else None,
                    "status": goal.status,
                }
                for goal in self.goals.order_by("pk")
            ],
        }


class GoalStatus(models.TextChoices):
    OPEN = "open", _("nog niet begonnen")
    IN_PROGRESS = "in_progress", _("bezig")
    ACHIEVED = "achieved", _("behaald")
    DROPPED = "dropped", _("vervallen")


class GoalQuerySet(models.QuerySet):
    def visible_to(self, user) -> GoalQuerySet:
        return self.filter(plan__trajectory__in=Trajectory.objects.visible_to(user))


class Goal(models.Model):
    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="goals")
    description = models.CharField(_("wat"), max_length=300)
    due_on = models.DateField(_("uiterlijk op"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=GoalStatus.choices, default=GoalStatus.OPEN
    )

    objects = GoalQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("doel")
        verbose_name_plural = _("doelen")

    def __str__(self) -> str:
        return self.description


class PlanVersionQuerySet(models.QuerySet):
    def visible_to(self, user) -> PlanVersionQuerySet:
        """Versions are the adviser's record; the participant sees the plan as it is now."""
        if not acting_as(user, Role.ADVISER):
            return self.none()
        return self.filter(plan__trajectory__adviser=user)


class PlanVersion(models.Model):
    """The plan as it stood after the agreement and after each change since (JSON snapshot)."""

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("versie"))
    snapshot = models.JSONField(_("inhoud"))
    change = models.CharField(_("wijziging"), max_length=200)
    created_by = models.ForeignKey(
        "members.User", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("op"), auto_now_add=True)

    objects = PlanVersionQuerySet.as_manager()

    class Meta:
        ordering = ["plan", "number"]
        verbose_name = _("versie van het plan")
        verbose_name_plural = _("versies van het plan")
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="plan_version_number_unique")
        ]

    def __str__(self) -> str:
        return _("Versie %(number)s") % {"number": self.number}


class PlanReviewQuerySet(models.QuerySet):
    def visible_to(self, user) -> PlanReviewQuerySet:
        return self.filter(trajectory__in=Trajectory.objects.visible_to(user))

    def due_for_reminder(self, today: datetime.date, days_ahead: int = 3) -> PlanReviewQuerySet:
        return self.filter(
            held_on__isnull=True,
            reminder_sent_at__isnull=True,
            due_on__lte=today + datetime.timedelta(days=days_ahead),
            trajectory__status=TrajectoryStatus.ACTIVE,
        )


class PlanReview(models.Model):
    """A planned review of the plan. The row is also the reminder: `reminder_sent_at` is the
    sent mark, claimed by the beat task so each review is reminded exactly once."""

    trajectory = models.ForeignKey(
        Trajectory, on_delete=models.CASCADE, related_name="reviews", verbose_name=_("traject")
    )
    due_on = models.DateField(_("gepland op"))
    held_on = models.DateField(_("gehouden op"), null=True, blank=True)
    reminder_sent_at = models.DateTimeField(_("herinnering verstuurd op"), null=True, blank=True)

    objects = PlanReviewQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("evaluatie")
        verbose_name_plural = _("evaluaties")
        constraints = [
            models.UniqueConstraint(
                fields=["trajectory"],
                condition=Q(held_on__isnull=True),
                name="one_pending_review_per_trajectory",
            )
        ]

    def __str__(self) -> str:
        return _("Evaluatie op %(date)s") % {"date": self.due_on.strftime("%d-%m-%Y")}


class ProgressNoteQuerySet(models.QuerySet):
    def visible_to(self, user) -> ProgressNoteQuerySet:
        """Private to the adviser of the trajectory; never shown to the participant."""
        if not acting_as(user, Role.ADVISER):
            return self.none()
        return self.filter(trajectory__adviser=user)


class ProgressNote(models.Model):
    trajectory = models.ForeignKey(
        Trajectory, on_delete=models.CASCADE, related_name="notes", verbose_name=_("traject")
    )
    author = models.ForeignKey(
        "members.User",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("auteur"),
    )
    text = models.TextField(_("voortgangsnotitie"))
    created_at = models.DateTimeField(_("op"), auto_now_add=True)

    objects = ProgressNoteQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("voortgangsnotitie")
        verbose_name_plural = _("voortgangsnotities")

    def __str__(self) -> str:
        return _("Notitie %(number)s") % {"number": self.pk}


# --- workshops ---------------------------------------------------------------------------------


class WorkshopMode(models.TextChoices):
    ONLINE = "online", _("online")
    UNION_HOUSE = "union_house", _("in een vakbondshuis")


class Workshop(models.Model):
    """A free workshop or training in the catalogue (no personal data)."""

    title = models.CharField(_("titel"), max_length=150, unique=True)
    description = models.TextField(_("omschrijving"), blank=True)
    mode = models.CharField(_("vorm"), max_length=12, choices=WorkshopMode.choices)
    is_active = models.BooleanField(_("in de catalogus"), default=True)
    is_demo = models.BooleanField(_("demodata"), default=False)

    class Meta:
        ordering = ["title"]
        verbose_name = _("workshop of training")
        verbose_name_plural = _("workshops en trainingen")

    def __str__(self) -> str:
        return self.title


class WorkshopSessionQuerySet(models.QuerySet):
    def upcoming(self) -> WorkshopSessionQuerySet:
        return self.filter(starts_at__gte=timezone.now(), workshop__is_active=True)

    def with_counts(self) -> WorkshopSessionQuerySet:
        return self.annotate(
            enrolled_count=models.Count(
                "enrolments", filter=Q(enrolments__status=EnrolmentStatus.ENROLLED)
            ),
            waiting_count=models.Count(
                "enrolments", filter=Q(enrolments__status=EnrolmentStatus.WAITING)
            ),
        ).annotate(free_places=models.F("capacity") - models.F("enrolled_count"))


class WorkshopSession(models.Model):
    workshop = models.ForeignKey(
        Workshop, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("workshop")
    )
    starts_at = models.DateTimeField(_("begint om"))
    ends_at = models.DateTimeField(_("eindigt om"))
    union_house = models.ForeignKey(
        "regions.UnionHouse",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("vakbondshuis"),
    )
    place = models.CharField(
        _("plaats"), max_length=200, blank=True, help_text=_("Zaal, of 'online via Teams'.")
    )
    capacity = models.PositiveSmallIntegerField(_("aantal plaatsen"))
    is_demo = models.BooleanField(_("demodata"), default=False)

    objects = WorkshopSessionQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("bijeenkomst")
        verbose_name_plural = _("bijeenkomsten")
        constraints = [
            models.CheckConstraint(condition=Q(capacity__gte=1), name="session_capacity_positive"),
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="session_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.workshop} ({timezone.localtime(self.starts_at):%d-%m-%Y %H:%M})"

    @property
    def location(self) -> str:
        if self.union_house_id:
            return f"{self.union_house}, {self.union_house.address}"
        return self.place or str(WorkshopMode.ONLINE.label)


class EnrolmentStatus(models.TextChoices):
    ENROLLED = "enrolled", _("ingeschreven")
    WAITING = "waiting", _("op de wachtlijst")
    CANCELLED = "cancelled", _("afgemeld")


class EnrolmentQuerySet(models.QuerySet):
    def visible_to(self, user) -> EnrolmentQuerySet:
        return self.filter(trajectory__in=Trajectory.objects.visible_to(user))

    def active(self) -> EnrolmentQuerySet:
        return self.exclude(status=EnrolmentStatus.CANCELLED)


class Enrolment(models.Model):
    """A participant's place in a session, or on its waiting list (in order of `created_at`)."""

    session = models.ForeignKey(
        WorkshopSession,
        on_delete=models.CASCADE,
        related_name="enrolments",
        verbose_name=_("bijeenkomst"),
    )
    trajectory = models.ForeignKey(
        Trajectory, on_delete=models.CASCADE, related_name="enrolments", verbose_name=_("traject")
    )
    status = models.CharField(_("status"), max_length=10, choices=EnrolmentStatus.choices)
    attended = models.BooleanField(_("aanwezig"), null=True, blank=True)
    enrolled_by = models.ForeignKey(
        "members.User",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("ingeschreven door"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("aangemaakt op"))
    promoted_at = models.DateTimeField(
        null=True, blank=True, verbose_name=_("van de wachtlijst gehaald op")
    )
    moved_up_mail_sent = models.BooleanField(
        default=False, verbose_name=_("mail over de vrijgekomen plaats verstuurd")
    )
    cancelled_at = models.DateTimeField(null=True, blank=True, verbose_name=_("geannuleerd op"))
    reminder_sent_at = models.DateTimeField(_("herinnering verstuurd op"), null=True, blank=True)

    objects = EnrolmentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("inschrijving")
        verbose_name_plural = _("inschrijvingen")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "trajectory"],
                condition=~Q(status="cancelled"),
                name="one_active_enrolment_per_session",
            )
        ]

    def __str__(self) -> str:
        return _("Inschrijving %(number)s") % {"number": self.pk}


# --- outcome -----------------------------------------------------------------------------------


class OutcomeKind(models.TextChoices):
    NEW_JOB = "new_job", _("nieuwe baan")
    TRAINING = "training", _("opleiding gestart")
    OTHER = "other", _("anders")
    NONE = "none", _("geen")


class ContractKind(models.TextChoices):
    PERMANENT = "permanent", _("vast contract")
    TEMPORARY = "temporary", _("tijdelijk contract")
    FLEXIBLE = "flexible", _("uitzend- of oproepcontract")
    SELF_EMPLOYED = "self_employed", _("zelfstandige")


class OutcomeQuerySet(models.QuerySet):
    def visible_to(self, user) -> OutcomeQuerySet:
        return self.filter(trajectory__in=Trajectory.objects.visible_to(user))


class Outcome(models.Model):
    """What became of the participant when the trajectory ended. Counted, never named."""

    trajectory = models.OneToOneField(
        Trajectory, on_delete=models.CASCADE, related_name="outcome", verbose_name=_("traject")
    )
    kind = models.CharField(_("uitkomst"), max_length=10, choices=OutcomeKind.choices)
    employer = models.ForeignKey(
        "members.Employer",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("nieuwe werkgever"),
    )
    sector = models.ForeignKey(
        "members.Sector",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("sector"),
    )
    contract_kind = models.CharField(
        _("soort contract"), max_length=15, choices=ContractKind.choices, blank=True
    )
    under_cao = models.BooleanField(_("valt onder een cao"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        "members.User",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("vastgelegd door"),
    )
    recorded_at = models.DateTimeField(_("vastgelegd op"), auto_now_add=True)

    objects = OutcomeQuerySet.as_manager()

    class Meta:
        verbose_name = _("uitkomst")
        verbose_name_plural = _("uitkomsten")

    def __str__(self) -> str:
        return self.get_kind_display()

    def clean(self) -> None:
        super().clean()
        if self.kind == OutcomeKind.NEW_JOB:
            errors = {}
            if not self.sector_id:
                errors["sector"] = _("Kies de sector van de nieuwe baan.")
            if not self.contract_kind:
                errors["contract_kind"] = _("Kies het soort contract van de nieuwe baan.")
            if self.under_cao is None:
                errors["under_cao"] = _("Geef aan of de nieuwe baan onder een cao valt.")
            if errors:
                raise ValidationError(errors)
        else:
            self.employer = None
            self.sector = None
            self.contract_kind = ""
            self.under_cao = None
