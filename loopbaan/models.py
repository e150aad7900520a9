"""Loopbaan FNV: consultants' availability and one-hour career appointments with two consultants.

The rule that matters most is in the database: `AppointmentConsultant.during` is an exclusion
constraint (btree_gist), so no consultant is ever in two overlapping appointments, whatever the
code does. `during` covers the hour itself plus the buffer after it, so the buffer between two
appointments of one consultant is enforced by the same constraint.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

from django.conf import settings
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import ArrayField, DateTimeRangeField, RangeOperators
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.conf import feature_setting
from core.roles import Role, acting_as
from loopbaan.desk import desk_members
from members.models import User

# --- Knobs: module defaults, overridable with settings.FNV["APPOINTMENT_..."] ---------------
DEFAULTS = {
    "APPOINTMENT_MINUTES": 60,
    "APPOINTMENT_BUFFER_MINUTES": 15,
    "APPOINTMENT_SLOT_STEP_MINUTES": 30,
    "APPOINTMENT_HORIZON_WEEKS": 8,
    "APPOINTMENT_MIN_NOTICE_HOURS": 24,
    "APPOINTMENT_MAX_OPEN_PER_MEMBER": 2,
    "APPOINTMENT_CHANGE_CUTOFF_HOURS": 24,
    "APPOINTMENT_REMINDER_LEAD_HOURS": 24,
    "APPOINTMENT_DEFAULT_WEEKLY_MAX": 4,
    "APPOINTMENT_ONLINE_URL": "https://meet.fnv-regio.example/loopbaan",
}


def knob(name: str):
    """A setting of this feature: settings.FNV["APPOINTMENT_…"] or the default above."""
    key = f"APPOINTMENT_{name}"
    return feature_setting(key, DEFAULTS[key])


def duration() -> timedelta:
    return timedelta(minutes=knob("MINUTES"))


def buffer() -> timedelta:
    return timedelta(minutes=knob("BUFFER_MINUTES"))


class ConsultantProfile(models.Model):
    """Per consultant: the most appointments a week (they are volunteers)."""

    consultant = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="loopbaan_profile",
        limit_choices_to={"role": Role.CONSULTANT},
        verbose_name=_("consulent"),
    )
    weekly_max = models.PositiveSmallIntegerField(
        _("maximaal aantal afspraken per week"),
        default=4,
        help_text=_("Je bent vrijwilliger: meer afspraken per week krijg je niet."),
    )

    class Meta:
        verbose_name = _("instelling consulent")
        verbose_name_plural = _("instellingen consulenten")

    def __str__(self) -> str:
        return str(self.consultant)


class AvailabilityKind(models.TextChoices):
    WEEKLY = "weekly", _("elke week")
    ONCE = "once", _("eenmalig")


class AvailabilityQuerySet(models.QuerySet):
    def visible_to(self, user) -> AvailabilityQuerySet:
        if not acting_as(user):
            return self.none()
        if user.role == Role.ADMIN:
            return self.all()
        if user.role == Role.CONSULTANT:
            return self.filter(consultant=user)
        return self.none()

    def at_place(self, union_house_id: int | None) -> AvailabilityQuerySet:
        if union_house_id is None:
            return self.filter(union_house__isnull=True)
        return self.filter(union_house_id=union_house_id)


class Availability(models.Model):
    """Hours a consultant is available: every week on a weekday, or once on a date.

    At a union house, or online when `union_house` is empty. Times are local (Europe/Amsterdam).
    """

    consultant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="availabilities",
        verbose_name=_("consulent"),
    )
    union_house = models.ForeignKey(
        "regions.UnionHouse",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="availabilities",
        verbose_name=_("vakbondshuis"),
        help_text=_("Leeg: online."),
    )
    kind = models.CharField(
        _("soort"), max_length=6, choices=AvailabilityKind.choices, default=AvailabilityKind.WEEKLY
    )
    weekday = models.PositiveSmallIntegerField(
        _("weekdag"),
        null=True,
        blank=True,
        choices=[
            (0, _("maandag")),
            (1, _("dinsdag")),
            (2, _("woensdag")),
            (3, _("donderdag")),
            (4, _("vrijdag")),
            (5, _("zaterdag")),
            (6, _("zondag")),
        ],
    )
    date = models.DateField(_("datum"), null=True, blank=True)
    start_time = models.TimeField(_("van"))
    end_time = models.TimeField(_("tot"))

    objects = AvailabilityQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "weekday", "date", "start_time"]
        verbose_name = _("beschikbaarheid")
        verbose_name_plural = _("beschikbaarheid")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_time__gt=models.F("start_time")),
                name="availability_ends_after_start",
            ),
            models.CheckConstraint(
                condition=(
                    Q(kind="weekly", weekday__isnull=False, date__isnull=True)
                    | Q(kind="once", date__isnull=False, weekday__isnull=True)
                ),
                name="availability_weekday_or_date",
            ),
        ]
        indexes = [models.Index(fields=["union_house", "kind"])]

    def __str__(self) -> str:
        when = self.get_weekday_display() if self.kind == AvailabilityKind.WEEKLY else self.date
        return f"{self.consultant} {when} {self.start_time:%H:%M}-{self.end_time:%H:%M}"

    @property
    def place_label(self) -> str:
        return str(self.union_house) if self.union_house_id else str(_("online"))

    def clean(self) -> None:
        super().clean()
        if self.start_time and self.end_time and self.end_time <= self.start_time:
            raise ValidationError(_("De eindtijd moet na de begintijd liggen."))
        if self.kind == AvailabilityKind.WEEKLY:
            if self.weekday is None:
                raise ValidationError(_("Kies een weekdag."))
            self.date = None
        else:
            if self.date is None:
                raise ValidationError(_("Kies een datum."))
            self.weekday = None


class BlockedDayQuerySet(models.QuerySet):
    def visible_to(self, user) -> BlockedDayQuerySet:
        if not acting_as(user):
            return self.none()
        if user.role == Role.ADMIN:
            return self.all()
        if user.role == Role.CONSULTANT:
            return self.filter(consultant=user)
        return self.none()


class BlockedDay(models.Model):
    """A day a consultant is not available (holiday), whatever their weekly hours say."""

    consultant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="blocked_days",
        verbose_name=_("consulent"),
    )
    date = models.DateField(_("datum"))
    reason = models.CharField(_("reden"), max_length=100, blank=True)

    objects = BlockedDayQuerySet.as_manager()

    class Meta:
        ordering = ["date"]
        verbose_name = _("geblokkeerde dag")
        verbose_name_plural = _("geblokkeerde dagen")
        constraints = [
            models.UniqueConstraint(fields=["consultant", "date"], name="blocked_day_once")
        ]

    def __str__(self) -> str:
        return f"{self.consultant} {self.date}"


class AppointmentStatus(models.TextChoices):
    BOOKED = "booked", _("geboekt")
    HELD = "held", _("gehouden")
    CANCELLED = "cancelled", _("geannuleerd")
    NO_SHOW = "no_show", _("lid niet verschenen")


OPEN_STATUSES = (AppointmentStatus.BOOKED,)


class AppointmentQuerySet(models.QuerySet):
    def visible_to(self, user) -> AppointmentQuerySet:
        """Members see their own appointments, consultants those they are (still) in."""
        if not acting_as(user):
            return self.none()
        if user.role == Role.ADMIN:
            return self.all()
        if user.role == Role.MEMBER:
            return self.filter(member__user=user)
        if user.role == Role.CONSULTANT:
            return self.filter(
                pk__in=AppointmentConsultant.objects.filter(consultant=user, is_active=True).values(
                    "appointment_id"
                )
            )
        return self.none()

    def for_desk(self, user) -> AppointmentQuerySet:
        """Appointments a consultant, coordinator or admin manages on a member's behalf: those
        of the members in their regions (loopbaan.desk), whoever the consultants are."""
        return self.filter(member__in=desk_members(user))

    def open(self) -> AppointmentQuerySet:
        return self.filter(status__in=OPEN_STATUSES)

    def upcoming(self) -> AppointmentQuerySet:
        return self.open().filter(starts_at__gte=timezone.now())

    def in_regions(self, regions) -> AppointmentQuerySet:
        return self.filter(region__in=regions)


class Appointment(models.Model):
    """A one-hour loopbaanafspraak of a member with two consultants, online or at a union house.

    `public_token` is the stable key of the manage link in the mails: a move changes the time
    on the same row, so the link keeps working. `sequence` is the calendar file's SEQUENCE.
    """

    public_token = models.UUIDField(_("kenmerk"), default=uuid.uuid4, unique=True, editable=False)
    member = models.ForeignKey(
        "members.Member",
        on_delete=models.CASCADE,
        related_name="appointments",
        verbose_name=_("lid"),
    )
    union_house = models.ForeignKey(
        "regions.UnionHouse",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="appointments",
        verbose_name=_("vakbondshuis"),
        help_text=_("Leeg: online."),
    )
    region = models.ForeignKey(
        "regions.Region",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="appointments",
        verbose_name=_("regio"),
        help_text=_("Van het vakbondshuis, of van het lid bij een online afspraak."),
    )
    starts_at = models.DateTimeField(_("begint om"), db_index=True)
    ends_at = models.DateTimeField(_("eindigt om"))
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=AppointmentStatus.choices,
        default=AppointmentStatus.BOOKED,
    )
    question = models.CharField(
        _("je vraag in het kort"),
        max_length=500,
        blank=True,
        help_text=_("Niet verplicht. Alleen je twee consulenten lezen dit."),
    )
    needs_consultant = models.BooleanField(
        _("consulent gezocht"),
        default=False,
        help_text=_("Een consulent viel uit en er was geen vervanger vrij."),
    )
    sequence = models.PositiveIntegerField(_("versie (agenda)"), default=0)
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("geboekt door"),
        help_text=_("Het lid zelf, of een medewerker die telefonisch voor het lid boekte."),
    )
    created_at = models.DateTimeField(_("geboekt op"), auto_now_add=True)
    cancelled_at = models.DateTimeField(_("geannuleerd op"), null=True, blank=True)
    is_demo = models.BooleanField(_("demodata"), default=False)

    objects = AppointmentQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("loopbaanafspraak")
        verbose_name_plural = _("loopbaanafspraken")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="appointment_ends_after_start"
            )
        ]
        indexes = [
            models.Index(fields=["union_house", "starts_at"]),
            models.Index(fields=["region", "status", "starts_at"]),
            models.Index(fields=["member", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.place_label} {timezone.localtime(self.starts_at):%Y-%m-%d %H:%M}"

    @property
    def is_online(self) -> bool:
        return self.union_house_id is None

    @property
    def place_label(self) -> str:
        return str(self.union_house) if self.union_house_id else str(_("Online"))

    @property
    def place_key(self) -> str:
        return str(self.union_house_id) if self.union_house_id else "online"

    @property
    def online_url(self) -> str:
        return f"{knob('ONLINE_URL')}/{self.public_token.hex[:12]}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def booked_for_member(self) -> bool:
        """Booked by the union (a consultant, coordinator or admin) on the member's behalf."""
        return self.booked_by_id is not None and self.booked_by_id != self.member.user_id

    def can_change(self, now=None) -> bool:
        """The member may cancel or move until the cutoff before the start."""
        now = now or timezone.now()
        cutoff = timedelta(hours=knob("CHANGE_CUTOFF_HOURS"))
        return self.is_open and now <= self.starts_at - cutoff

    def active_consultants(self):
        return User.objects.filter(
            appointment_links__appointment=self, appointment_links__is_active=True
        ).order_by("pk")


class AppointmentConsultant(models.Model):
    """A consultant in an appointment. `during` = the hour plus the buffer after it.

    The exclusion constraint keeps every consultant out of two overlapping active rows.
    A consultant who drops out, or the consultants of a cancelled appointment, are inactive.
    """

    appointment = models.ForeignKey(
        Appointment, on_delete=models.CASCADE, related_name="links", verbose_name=_("afspraak")
    )
    consultant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="appointment_links",
        verbose_name=_("consulent"),
    )
    during = DateTimeRangeField(_("bezet (uur plus buffer)"))
    is_active = models.BooleanField(_("actief"), default=True)
    withdrawn_at = models.DateTimeField(_("afgemeld op"), null=True, blank=True)

    class Meta:
        verbose_name = _("consulent in afspraak")
        verbose_name_plural = _("consulenten in afspraken")
        constraints = [
            ExclusionConstraint(
                name="consultant_never_double_booked",
                expressions=[
                    ("consultant", RangeOperators.EQUAL),
                    ("during", RangeOperators.OVERLAPS),
                ],
                condition=Q(is_active=True),
            ),
            models.UniqueConstraint(
                fields=["appointment", "consultant"],
                condition=Q(is_active=True),
                name="consultant_once_per_appointment",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.consultant} in {self.appointment}"


class CareerQuestion(models.TextChoices):
    PERFORMANCE_REVIEW = "performance_review", _("functioneringsgesprek")
    TRAINING = "training", _("scholing")
    CAREER_CHANGE = "career_change", _("loopbaanswitch")
    SELF_DOUBT = "self_doubt", _("onzekerheid over eigen kunnen")
    CONFLICT = "conflict", _("conflict")
    JOB_LOSS = "job_loss", _("dreigend baanverlies")
    OTHER = "other", _("anders")


class Referral(models.TextChoices):
    LEGAL = "legal", _("juridische hulp")
    REINTEGRATION = "reintegration", _("re-integratie")
    TRAJECTORY = "trajectory", _("individueel traject")
    WORKSHOP = "workshop", _("workshop")
    SECTOR_OFFICIAL = "sector_official", _("sectorbestuurder")


class NoShow(models.TextChoices):
    NONE = "", _("iedereen was er")
    MEMBER = "member", _("het lid kwam niet")
    CONSULTANT = "consultant", _("een consulent kwam niet")


class AppointmentReportQuerySet(models.QuerySet):
    def visible_to(self, user) -> AppointmentReportQuerySet:
        """The two consultants; trajectory advisers of the member's region once referred."""
        if not acting_as(user):
            return self.none()
        if user.role == Role.ADMIN:
            return self.all()
        if user.role == Role.CONSULTANT:
            return self.filter(
                appointment__links__consultant=user, appointment__links__is_active=True
            ).distinct()
        if user.role == Role.ADVISER:
            return self.filter(
                referrals__contains=[Referral.TRAJECTORY],
                appointment__member__region__in=user.regions.all(),
            )
        return self.none()


class AppointmentReport(models.Model):
    """What the two consultants write after the talk. Never copied into the audit log."""

    appointment = models.OneToOneField(
        Appointment, on_delete=models.CASCADE, related_name="report", verbose_name=_("afspraak")
    )
    career_question = models.CharField(
        _("loopbaanvraag"), max_length=20, choices=CareerQuestion.choices
    )
    referrals = ArrayField(
        models.CharField(max_length=20, choices=Referral.choices),
        blank=True,
        default=list,
        verbose_name=_("doorverwijzingen"),
    )
    no_show = models.CharField(
        _("niet verschenen"), max_length=10, choices=NoShow.choices, blank=True, default=""
    )
    notes = models.TextField(_("korte toelichting"), max_length=2000, blank=True)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("geschreven door"),
    )
    trajectory_referral_sent_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        verbose_name=_("doorverwijzing naar een traject verstuurd op"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("aangemaakt op"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("gewijzigd op"))

    objects = AppointmentReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("verslag loopbaanafspraak")
        verbose_name_plural = _("verslagen loopbaanafspraken")

    def __str__(self) -> str:
        return f"{_('Verslag')} {self.appointment}"

    def referral_labels(self) -> list[str]:
        labels = dict(Referral.choices)
        return [str(labels.get(value, value)) for value in self.referrals]


class Reminder(models.Model):
    """One reminder per appointment per recipient, due `REMINDER_LEAD_HOURS` before the start.

    A beat task claims due rows with SELECT … FOR UPDATE SKIP LOCKED and marks them sent in the
    same transaction as the send, so a second run, a second worker or a crash never sends twice.
    """

    appointment = models.ForeignKey(
        Appointment, on_delete=models.CASCADE, related_name="reminders", verbose_name=_("afspraak")
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("ontvanger"),
    )
    due_at = models.DateTimeField(_("versturen vanaf"))
    sent_at = models.DateTimeField(_("verstuurd op"), null=True, blank=True)

    class Meta:
        verbose_name = _("herinnering")
        verbose_name_plural = _("herinneringen")
        constraints = [
            models.UniqueConstraint(
                fields=["appointment", "recipient"], name="one_reminder_per_recipient"
            )
        ]
        indexes = [
            models.Index(
                fields=["due_at"], condition=Q(sent_at__isnull=True), name="reminder_due_unsent"
            )
        ]

    def __str__(self) -> str:
        return f"{self.appointment} → {self.recipient}"


class AppointmentMail(models.Model):
    """A record of each appointment mail sent, so a task that runs twice sends it once."""

    appointment = models.ForeignKey(
        Appointment, on_delete=models.CASCADE, related_name="mails", verbose_name=_("afspraak")
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("ontvanger"),
    )
    kind = models.CharField(max_length=20, verbose_name=_("soort"))
    sequence = models.PositiveIntegerField(verbose_name=_("volgnummer"))
    sent_at = models.DateTimeField(auto_now_add=True, verbose_name=_("verstuurd op"))

    class Meta:
        verbose_name = _("verstuurde afspraakmail")
        verbose_name_plural = _("verstuurde afspraakmails")
        constraints = [
            models.UniqueConstraint(
                fields=["appointment", "recipient", "kind", "sequence"],
                name="appointment_mail_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.appointment_id} → {self.recipient_id}"
