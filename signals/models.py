"""Consultation sessions, themes and signals.

A consultant logs a session (spreekuur); detection (signals/detection.py) counts sessions per
employer, theme, region and sector, and opens a Signal when a DetectionRule fires. A signal is
routed to the people responsible (signals/notifications.py) and acted on by them.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.roles import Role, acting_as

CORRECTION_DAYS = 7


class ThemeGroup(models.TextChoices):
    """The union's four A's."""

    CONDITIONS = "arbeidsvoorwaarden", _("Arbeidsvoorwaarden")
    CIRCUMSTANCES = "arbeidsomstandigheden", _("Arbeidsomstandigheden")
    RELATIONS = "arbeidsverhoudingen", _("Arbeidsverhoudingen")
    CONTENT = "arbeidsinhoud", _("Arbeidsinhoud")


class Theme(models.Model):
    """What a session was about. Admins maintain the list; a theme is retired, never deleted."""

    name = models.CharField(_("naam"), max_length=100, unique=True)
    group = models.CharField(_("groep"), max_length=25, choices=ThemeGroup.choices)
    is_active = models.BooleanField(_("actief"), default=True)
    order = models.PositiveSmallIntegerField(_("volgorde"), default=0)

    class Meta:
        ordering = ["group", "order", "name"]
        verbose_name = _("thema")
        verbose_name_plural = _("thema's")

    def __str__(self) -> str:
        return self.name


class Place(models.TextChoices):
    UNION_HOUSE = "union_house", _("Vakbondshuis")
    ONLINE = "online", _("Online")
    PHONE = "phone", _("Telefoon")


class SessionKind(models.TextChoices):
    WORK_INCOME = "work_income", _("Werk en inkomen")
    CAREER = "career", _("Loopbaan")


class Referral(models.TextChoices):
    LEGAL = "legal", _("Juridische hulp")
    CAREER = "career", _("Loopbaan FNV")
    REINTEGRATION = "reintegration", _("Re-integratie")
    SECTOR_OFFICIAL = "sector_official", _("Sectorbestuurder")


class ConsultationSessionQuerySet(models.QuerySet):
    def visible_to(self, user) -> ConsultationSessionQuerySet:
        """Consultants see their own sessions; admins all; nobody else any single session."""
        if not acting_as(user):
            return self.none()
        if user.role == Role.ADMIN:
            return self.all()
        if user.role == Role.CONSULTANT:
            return self.filter(consultant=user)
        return self.none()

    def correctable_by(self, user) -> ConsultationSessionQuerySet:
        since = timezone.now() - dt.timedelta(days=CORRECTION_DAYS)
        return self.filter(consultant=user, created_at__gte=since)


class ConsultationSession(models.Model):
    """One logged spreekuur session. The summary is confidential: never logged, never listed."""

    at = models.DateTimeField(_("datum en tijd"), default=timezone.now)
    # The local (Europe/Amsterdam) date of `at`: detection windows are whole local days.
    day = models.DateField(_("dag"), editable=False)
    place = models.CharField(_("plaats"), max_length=12, choices=Place.choices)
    union_house = models.ForeignKey(
        "regions.UnionHouse",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("vakbondshuis"),
    )
    region = models.ForeignKey(
        "regions.Region",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("regio"),
    )
    kind = models.CharField(
        _("soort"), max_length=12, choices=SessionKind.choices, default=SessionKind.WORK_INCOME
    )
    consultant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="consultation_sessions",
        verbose_name=_("consulent"),
    )
    member = models.ForeignKey(
        "members.Member",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="consultation_sessions",
        verbose_name=_("lid"),
    )
    is_member = models.BooleanField(_("is lid"), default=True)
    employer = models.ForeignKey(
        "members.Employer",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="consultation_sessions",
        verbose_name=_("werkgever"),
    )
    sector = models.ForeignKey(
        "members.Sector",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("sector"),
    )
    themes = models.ManyToManyField(
        Theme, through="SessionTheme", related_name="sessions", verbose_name=_("thema's")
    )
    summary = models.TextField(_("korte samenvatting (vertrouwelijk)"), blank=True)
    referrals = models.JSONField(_("doorverwijzingen"), default=list, blank=True)
    consent_to_share = models.BooleanField(
        _("toestemming om gegevens te delen met de sectorbestuurder"), default=False
    )
    follow_up_needed = models.BooleanField(_("opvolging nodig"), default=False)
    is_demo = models.BooleanField(_("demodata"), default=False)
    created_at = models.DateTimeField(_("vastgelegd op"), default=timezone.now)
    updated_at = models.DateTimeField(_("gewijzigd op"), default=timezone.now, db_index=True)

    objects = ConsultationSessionQuerySet.as_manager()

    class Meta:
        ordering = ["-at"]
        verbose_name = _("spreekuurgesprek")
        verbose_name_plural = _("spreekuurgesprekken")
        indexes = [
            # Covering: the employer-cluster rule reads only these columns (index-only scan).
            models.Index(fields=["day"], include=["employer_id"], name="session_day"),
            models.Index(fields=["employer", "day"], name="session_employer_day"),
            models.Index(fields=["consultant", "-at"], name="session_consultant_at"),
        ]

    def __str__(self) -> str:
        return f"{self.get_place_display()} {timezone.localtime(self.at):%d-%m-%Y %H:%M}"

    def save(self, *args, **kwargs) -> None:
        self.day = timezone.localdate(self.at)
        super().save(*args, **kwargs)

    @property
    def is_correctable(self) -> bool:
        return self.created_at >= timezone.now() - dt.timedelta(days=CORRECTION_DAYS)

    def active_consent(self) -> Consent | None:
        return next((c for c in self.consents.all() if c.withdrawn_at is None), None)

    def consent_reaching(self, sector_ids: set[int], role: str) -> Consent | None:
        """The consent in force that names an official of `role` in one of `sector_ids`."""
        return next(
            (
                c
                for c in self.consents.all()
                if c.withdrawn_at is None
                and c.recipient_role == role
                and c.recipient_sector_id in sector_ids
            ),
            None,
        )


class SessionTheme(models.Model):
    """A session's theme, with the session's day, region, sector and employer copied in so
    that detection counts themes from one narrow table (one index scan, no join)."""

    session = models.ForeignKey(
        ConsultationSession, on_delete=models.CASCADE, verbose_name=_("spreekuurgesprek")
    )
    theme = models.ForeignKey(Theme, on_delete=models.PROTECT, verbose_name=_("thema"))
    day = models.DateField(verbose_name=_("dag"))
    region = models.ForeignKey(
        "regions.Region",
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("regio"),
    )
    sector = models.ForeignKey(
        "members.Sector",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("sector"),
    )
    employer = models.ForeignKey(
        "members.Employer",
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("werkgever"),
    )

    class Meta:
        verbose_name = _("thema van een gesprek")
        verbose_name_plural = _("thema's van gesprekken")
        constraints = [
            models.UniqueConstraint(fields=["session", "theme"], name="session_theme_unique")
        ]
        indexes = [
            models.Index(
                fields=["day"],
                include=["employer_id", "theme_id", "session_id", "region_id", "sector_id"],
                name="session_theme_day",
            ),
            models.Index(fields=["employer", "day"], name="session_theme_employer_day"),
        ]

    def __str__(self) -> str:
        return f"{self.session_id}:{self.theme_id}"


class ConsentScope(models.TextChoices):
    SHARE_WITH_SECTOR_OFFICIAL = (
        "share_sector_official",
        _("Naam en samenvatting delen met de sectorbestuurder"),
    )


class ConsentSource(models.TextChoices):
    SESSION = "session", _("Gevraagd in het spreekuur")
    WRITTEN = "written", _("Schriftelijk")
    MEMBER = "member", _("Door het lid zelf")


class ConsentQuerySet(models.QuerySet):
    def visible_to(self, user) -> ConsentQuerySet:
        """A member sees their own consents (to withdraw them); admins all; nobody else."""
        if not acting_as(user):
            return self.none()
        if user.role == Role.ADMIN:
            return self.all()
        if user.role == Role.MEMBER:
            return self.filter(member__user=user)
        return self.none()

    def active(self) -> ConsentQuerySet:
        return self.filter(withdrawn_at__isnull=True)


class Consent(models.Model):
    """A member's consent for one use of a session's details. Withdrawal counts at once:
    every view checks `withdrawn_at` when it renders."""

    session = models.ForeignKey(
        ConsultationSession,
        on_delete=models.CASCADE,
        related_name="consents",
        verbose_name=_("spreekuurgesprek"),
    )
    member = models.ForeignKey(
        "members.Member",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("lid"),
    )
    scope = models.CharField(
        _("waarvoor"),
        max_length=30,
        choices=ConsentScope.choices,
        default=ConsentScope.SHARE_WITH_SECTOR_OFFICIAL,
    )
    source = models.CharField(
        _("bron"), max_length=10, choices=ConsentSource.choices, default=ConsentSource.SESSION
    )
    given_at = models.DateTimeField(_("gegeven op"), default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("vastgelegd door"),
    )
    withdrawn_at = models.DateTimeField(_("ingetrokken op"), null=True, blank=True)
    # Who the member agreed to share with, as data rather than a sentence: the officials of
    # this role and this sector (the session's sector when the consent was given, else the
    # member's). Nobody else sees the identity, whoever else may see the signal.
    recipient_role = models.CharField(
        _("gedeeld met (rol)"),
        max_length=20,
        choices=Role.choices,
        default=Role.SECTOR_OFFICIAL,
    )
    recipient_sector = models.ForeignKey(
        "members.Sector",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("gedeeld met (sector)"),
    )

    objects = ConsentQuerySet.as_manager()

    class Meta:
        ordering = ["-given_at"]
        verbose_name = _("toestemming")
        verbose_name_plural = _("toestemmingen")

    def __str__(self) -> str:
        return f"{self.get_scope_display()} ({self.given_at:%Y-%m-%d})"

    @property
    def recipients_text(self) -> str:
        """The recipients in the words the member agreed to."""
        if self.recipient_sector_id is None:
            return _("niemand (de sector was niet bekend)")
        return _("de sectorbestuurder van de sector %(sector)s") % {
            "sector": self.recipient_sector.name
        }


class RuleKind(models.TextChoices):
    EMPLOYER_CLUSTER = "employer_cluster", _("Meerdere gesprekken over één werkgever")
    THEME_RISE = "theme_rise", _("Stijging van een thema in een regio of sector")


class DetectionRule(models.Model):
    """A tunable detection rule. Parameters are stated; the statistics are in detection.py."""

    kind = models.CharField(_("soort"), max_length=20, choices=RuleKind.choices, unique=True)
    name = models.CharField(_("naam"), max_length=120)
    is_active = models.BooleanField(_("actief"), default=True)
    min_count = models.PositiveIntegerField(
        _("minimum aantal gesprekken"),
        default=3,
        help_text=_("Cluster: N gesprekken. Stijging: minimaal aantal in het venster."),
    )
    window_days = models.PositiveIntegerField(_("venster (dagen)"), default=30)
    baseline_days = models.PositiveIntegerField(
        _("basislijn (dagen)"), default=365, help_text=_("Alleen voor stijging.")
    )
    p_value = models.FloatField(
        _("p-waarde"), default=0.01, help_text=_("Alleen voor stijging (eenzijdige Poisson-toets).")
    )
    per_theme = models.BooleanField(
        _("ook per thema"), default=True, help_text=_("Cluster: ook N gesprekken over één thema.")
    )
    notify_step = models.PositiveIntegerField(
        _("opnieuw melden na groei van"),
        default=3,
        help_text=_("De bestuurder hoort het opnieuw als het signaal zoveel gesprekken groeit."),
    )
    reminder_days = models.PositiveIntegerField(_("herinnering na (dagen)"), default=5)

    class Meta:
        ordering = ["kind"]
        verbose_name = _("detectieregel")
        verbose_name_plural = _("detectieregels")

    def __str__(self) -> str:
        return self.name


class SignalStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ACKNOWLEDGED = "acknowledged", _("Gezien")
    IN_PROGRESS = "in_progress", _("In behandeling")
    CLOSED = "closed", _("Afgesloten")
    DISMISSED = "dismissed", _("Terzijde gelegd")


ACTIVE_STATUSES = [SignalStatus.OPEN, SignalStatus.ACKNOWLEDGED, SignalStatus.IN_PROGRESS]


class SignalAction(models.TextChoices):
    EMPLOYER_CONTACT = "employer_contact", _("Contact met de werkgever")
    COLLECTIVE_CASE = "collective_case", _("Collectieve zaak")
    CAMPAIGN = "campaign", _("Campagne")
    LEGAL = "legal", _("Juridische route")


class SignalQuerySet(models.QuerySet):
    def visible_to(self, user) -> SignalQuerySet:
        """Sector officials: their sectors; coordinators: their regions; admins: all."""
        if not acting_as(user):
            return self.none()
        if user.role == Role.ADMIN:
            return self.all()
        if user.role == Role.SECTOR_OFFICIAL:
            return self.filter(sector__in=user.sectors.all())
        if user.role == Role.COORDINATOR:
            return self.filter(region__in=user.regions.all())
        return self.none()

    def active(self) -> SignalQuerySet:
        return self.filter(status__in=ACTIVE_STATUSES)

    def open_first(self) -> SignalQuerySet:
        order = models.Case(
            *[models.When(status=s, then=i) for i, s in enumerate(SignalStatus.values)],
            output_field=models.IntegerField(),
        )
        return self.annotate(status_order=order).order_by("status_order", "-opened_at")


class Signal(models.Model):
    """A detected trend. One active signal per rule and key (a partial unique constraint)."""

    rule = models.ForeignKey(
        DetectionRule,
        on_delete=models.PROTECT,
        related_name="signals",
        verbose_name=_("detectieregel"),
    )
    key = models.CharField(_("sleutel"), max_length=80)
    employer = models.ForeignKey(
        "members.Employer",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="signals",
        verbose_name=_("werkgever"),
    )
    theme = models.ForeignKey(
        Theme, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("thema")
    )
    region = models.ForeignKey(
        "regions.Region",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("regio"),
    )
    sector = models.ForeignKey(
        "members.Sector",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("sector"),
    )
    window_start = models.DateField(_("venster vanaf"))
    window_end = models.DateField(_("venster tot en met"))
    count = models.PositiveIntegerField(_("aantal gesprekken"))
    baseline = models.FloatField(_("verwacht aantal"), default=0)
    score = models.FloatField(_("score"), default=0)
    sessions = models.ManyToManyField(
        ConsultationSession, through="SignalSession", related_name="signals"
    )
    status = models.CharField(
        _("status"), max_length=12, choices=SignalStatus.choices, default=SignalStatus.OPEN
    )
    action = models.CharField(
        _("actie"), max_length=20, choices=SignalAction.choices, blank=True, default=""
    )
    outcome = models.TextField(_("uitkomst"), blank=True)
    dismiss_reason = models.TextField(_("reden"), blank=True)
    opened_at = models.DateTimeField(_("geopend op"), default=timezone.now)
    acknowledged_at = models.DateTimeField(null=True, blank=True, verbose_name=_("gezien op"))
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("gezien door"),
    )
    ended_at = models.DateTimeField(null=True, blank=True, verbose_name=_("beëindigd op"))
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("beëindigd door"),
    )
    notified_count = models.PositiveIntegerField(default=0, verbose_name=_("aantal meldingen"))
    reminder_sent_at = models.DateTimeField(
        null=True, blank=True, verbose_name=_("herinnering verstuurd op")
    )
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("gewijzigd op"))

    objects = SignalQuerySet.as_manager()

    class Meta:
        ordering = ["-opened_at"]
        verbose_name = _("signaal")
        verbose_name_plural = _("signalen")
        constraints = [
            models.UniqueConstraint(
                fields=["rule", "key"],
                condition=Q(status__in=ACTIVE_STATUSES),
                name="signal_one_active_per_rule_key",
            )
        ]
        indexes = [models.Index(fields=["status", "opened_at"], name="signal_status_opened")]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        if self.rule.kind == RuleKind.EMPLOYER_CLUSTER:
            subject = str(self.employer) if self.employer_id else "?"
            return f"{subject}: {self.theme}" if self.theme_id else subject
        where = self.region or self.sector
        # a signal over all themes has none: its title is the place alone, never "None in ..."
        return f"{self.theme} in {where}" if self.theme_id else str(where)

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES


class SignalSession(models.Model):
    signal = models.ForeignKey(Signal, on_delete=models.CASCADE, verbose_name=_("signaal"))
    session = models.ForeignKey(
        ConsultationSession, on_delete=models.CASCADE, verbose_name=_("spreekuurgesprek")
    )
    added_at = models.DateTimeField(default=timezone.now, verbose_name=_("toegevoegd op"))

    class Meta:
        verbose_name = _("gesprek bij een signaal")
        verbose_name_plural = _("gesprekken bij signalen")
        constraints = [
            models.UniqueConstraint(fields=["signal", "session"], name="signal_session_unique")
        ]

    def __str__(self) -> str:
        return f"{self.signal_id}:{self.session_id}"


class NotificationKind(models.TextChoices):
    NEW = "new", _("Nieuw signaal")
    GROWN = "grown", _("Signaal gegroeid")
    REMINDER = "reminder", _("Herinnering: nog niet gezien")


class SignalNotificationQuerySet(models.QuerySet):
    def for_user(self, user) -> SignalNotificationQuerySet:
        return self.filter(recipient=user)

    def unread(self) -> SignalNotificationQuerySet:
        return self.filter(read_at__isnull=True)


class SignalNotification(models.Model):
    """An inbox entry; also the row that says whether its email went out (sent mark)."""

    signal = models.ForeignKey(Signal, on_delete=models.CASCADE, related_name="notifications")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="signal_notifications"
    )
    kind = models.CharField(max_length=10, choices=NotificationKind.choices)
    count = models.PositiveIntegerField(default=0)
    is_fallback = models.BooleanField(
        default=False, help_text=_("Niemand verantwoordelijk gevonden: naar de beheerders.")
    )
    created_at = models.DateTimeField(default=timezone.now)
    emailed_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)

    objects = SignalNotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("melding van een signaal")
        verbose_name_plural = _("meldingen van signalen")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["signal", "recipient", "kind", "count"], name="notification_once"
            )
        ]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_inbox")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.signal_id} → {self.recipient_id}"


class NotificationPreference(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="signal_preference"
    )
    daily_digest = models.BooleanField(
        _("één dagelijkse samenvatting in plaats van losse e-mails"), default=False
    )

    class Meta:
        verbose_name = _("meldingsvoorkeur")
        verbose_name_plural = _("meldingsvoorkeuren")

    def __str__(self) -> str:
        return f"{self.user_id}: {self.daily_digest}"


class DetectionRun(models.Model):
    """A detection run: its kind and the watermark that the next incremental run starts from."""

    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    full = models.BooleanField(default=False)
    today = models.DateField()
    opened = models.PositiveIntegerField(default=0)
    grown = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("detectieronde")
        verbose_name_plural = _("detectierondes")
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.started_at:%Y-%m-%d %H:%M} {'full' if self.full else 'incremental'}"


class ThemeDayCount(models.Model):
    """Sessions per day and theme in one region or one sector, kept up to date by the session
    services in the same transaction. The theme-rise rule reads this small table instead of
    every session of the last thirteen months."""

    day = models.DateField()
    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="+")
    region = models.ForeignKey(
        "regions.Region", null=True, on_delete=models.CASCADE, related_name="+"
    )
    sector = models.ForeignKey(
        "members.Sector", null=True, on_delete=models.CASCADE, related_name="+"
    )
    count = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("telling per thema en dag")
        verbose_name_plural = _("tellingen per thema en dag")
        constraints = [
            models.CheckConstraint(
                condition=Q(region__isnull=True) ^ Q(sector__isnull=True),
                name="theme_day_count_one_dimension",
            ),
            models.UniqueConstraint(
                fields=["day", "theme", "region"],
                condition=Q(region__isnull=False),
                name="theme_day_count_region_unique",
            ),
            models.UniqueConstraint(
                fields=["day", "theme", "sector"],
                condition=Q(sector__isnull=False),
                name="theme_day_count_sector_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.theme_id} {self.count}"
