"""Detection rules, signals, the sessions behind them, notifications and detection runs."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.roles import Role, acting_as
from signals.models.sessions import ConsultationSession, Theme


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


def signal_title(*, kind: str, employer: str | None, theme: str | None, place: str) -> str:
    """A signal's title from the names of its parts (the signal list reads them as one row).
    `place` is the region's name, else the sector's."""
    if kind == RuleKind.EMPLOYER_CLUSTER:
        subject = employer or "?"
        return f"{subject}: {theme}" if theme else subject
    # a signal over all themes has none: its title is the place alone, never "None in ..."
    return f"{theme} in {place}" if theme else place


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
        return signal_title(
            kind=self.rule.kind,
            employer=str(self.employer) if self.employer_id else None,
            theme=str(self.theme) if self.theme_id else None,
            place=str(self.region or self.sector),
        )

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES


class SignalSession(models.Model):
    # No index of its own: the unique (signal, session) below serves every look-up by signal,
    # and a detection run's first links (tens of thousands) then keep one index less.
    signal = models.ForeignKey(
        Signal, on_delete=models.CASCADE, db_index=False, verbose_name=_("signaal")
    )
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


class ThemeCount(models.Model):
    """Sessions of a theme in one region or one sector (exactly one of the two)."""

    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="+")
    region = models.ForeignKey(
        "regions.Region", null=True, on_delete=models.CASCADE, related_name="+"
    )
    sector = models.ForeignKey(
        "members.Sector", null=True, on_delete=models.CASCADE, related_name="+"
    )
    count = models.IntegerField(default=0)

    class Meta:
        abstract = True


class ThemeDayCount(ThemeCount):
    """Sessions per day and theme in one region or one sector, kept up to date by the session
    services in the same transaction. The theme-rise rule reads this small table instead of
    every session of the last thirteen months."""

    day = models.DateField()

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
        indexes = [
            # Covering: the theme-rise rule reads the days at the edges of its windows, of both
            # dimensions at once (the unique indexes above are partial, one per dimension).
            models.Index(
                fields=["day"],
                include=["theme_id", "region_id", "sector_id", "count"],
                name="theme_day_count_day",
            )
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.theme_id} {self.count}"


class ThemeWeekCount(ThemeCount):
    """The day counts summed per week (Monday to Sunday), kept by a trigger on ThemeDayCount
    (migration 0009), so that every writer of day counts, old code included, keeps them. The
    theme-rise rule reads a window's whole weeks here and only its edge days per day."""

    week = models.DateField()  # its Monday

    class Meta:
        verbose_name = _("telling per thema en week")
        verbose_name_plural = _("tellingen per thema en week")
        constraints = [
            models.CheckConstraint(
                condition=Q(region__isnull=True) ^ Q(sector__isnull=True),
                name="theme_week_count_one_dimension",
            ),
            models.UniqueConstraint(
                fields=["week", "theme", "region", "sector"],
                nulls_distinct=False,
                name="theme_week_count_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.week} {self.theme_id} {self.count}"
