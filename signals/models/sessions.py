"""Consultation sessions, their themes, and the members' consents to share them."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
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
    # No index of its own: session_region_day below serves every look-up by region.
    region = models.ForeignKey(
        "regions.Region",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
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
            models.Index(
                fields=["day"], include=["employer_id", "id"], name="session_day_employer"
            ),
            models.Index(fields=["employer", "day"], name="session_employer_day"),
            # A region's sessions of a period (the plan's data panel, the region page) counted
            # from the index alone; by region only, a count visited every session's page.
            models.Index(fields=["region", "day"], name="session_region_day"),
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

    def active_consent(self, scope: str = "share_sector_official") -> Consent | None:
        """The consent in force of `scope` (by default: to share name and summary)."""
        return next(
            (c for c in self.consents.all() if c.withdrawn_at is None and c.scope == scope),
            None,
        )

    def consent_reaching(self, sector_ids: set[int], role: str) -> Consent | None:
        """The consent in force to share name and summary that names an official of `role` in
        one of `sector_ids` (a consent to be contacted about collective action shares nothing)."""
        return next(
            (
                c
                for c in self.consents.all()
                if c.withdrawn_at is None
                and c.scope == ConsentScope.SHARE_WITH_SECTOR_OFFICIAL
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
            # Covering: the sessions behind a theme rise (a theme in a region or sector).
            models.Index(
                fields=["theme", "day"],
                include=["region_id", "sector_id", "session_id"],
                name="session_theme_theme_day",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.session_id}:{self.theme_id}"


class ConsentScope(models.TextChoices):
    SHARE_WITH_SECTOR_OFFICIAL = (
        "share_sector_official",
        _("Naam en samenvatting delen met de sectorbestuurder"),
    )
    CONTACT_COLLECTIVE = (
        "contact_collective",
        _("Benaderd worden door de sectorbestuurder over collectieve actie"),
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
