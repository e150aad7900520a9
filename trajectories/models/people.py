"""Who a trajectory is for and where it starts: non-member participants, collective cases and
the intake queue."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.roles import Role, acting_as

# --- participants ------------------------------------------------------------------------------


class ConsentSource(models.TextChoices):
    IN_PERSON = "in_person", _("in een gesprek")
    PHONE = "phone", _("telefonisch")
    FORM = "form", _("op papier of via een formulier")
    MOBILITY_TEAM = "mobility_team", _("via het regionale mobiliteitsteam")
    PUBLIC_FORM = "public_form", _("via het aanmeldformulier op de website")


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
    OTHER = "other", _("andere collectieve kwestie")


class CollectiveCaseStatus(models.TextChoices):
    OPEN = "open", _("lopend")
    CLOSED = "closed", _("afgesloten")


class CollectiveCaseQuerySet(models.QuerySet):
    def visible_to(self, user) -> CollectiveCaseQuerySet:
        """Advisers and coordinators of the case's region (the page shows counts only); sector
        officials of the case's sector or of its employer's sector (cases opened from their
        signals); admins all."""
        if not acting_as(user):
            return self.none()
        if user.role == Role.ADMIN:
            return self.all()
        if user.role == Role.SECTOR_OFFICIAL:
            sectors = user.sectors.all()
            return self.filter(Q(sector__in=sectors) | Q(employer__sector__in=sectors))
        if user.role in (Role.ADVISER, Role.COORDINATOR):
            return self.filter(region__in=user.regions.all())
        return self.none()


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
    sector = models.ForeignKey(
        "members.Sector",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("sector"),
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=CollectiveCaseStatus.choices,
        default=CollectiveCaseStatus.OPEN,
    )
    outcome = models.TextField(_("uitkomst"), blank=True)
    closed_at = models.DateTimeField(_("afgesloten op"), null=True, blank=True)
    closed_by = models.ForeignKey(
        "members.User",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("afgesloten door"),
    )
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

    @property
    def is_open(self) -> bool:
        return self.status == CollectiveCaseStatus.OPEN


# --- intake queue ------------------------------------------------------------------------------


class IntakeSource(models.TextChoices):
    APPOINTMENT = "appointment", _("verwijzing uit een loopbaanafspraak")
    DIRECT = "direct", _("rechtstreekse aanvraag")
    PUBLIC_SIGNUP = "public_signup", _("aanmelding via de website")


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
