"""Referrals as tracked hand-offs: a task for its receiver, with a status, a due date and the
outcome for the consultant who referred.

A referral is made from a source in another app (a consultation session in `signals`, a career
report in `loopbaan`), named by app label and id only: this app never imports them. It keeps a
snapshot of what the member agreed to pass on (name, contact and summary with consent; only
the topic, employer and region without), so the receiver never needs the source.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.roles import Role, acting_as


class Kind(models.TextChoices):
    """What the consultant referred to (the values the source apps store)."""

    LEGAL = "legal", _("Juridische hulp")
    REINTEGRATION = "reintegration", _("Re-integratie")
    SECTOR_OFFICIAL = "sector_official", _("Sectorbestuurder")
    WORKSHOP = "workshop", _("Workshop")
    CAREER = "career", _("Loopbaan FNV")


class Receiver(models.TextChoices):
    """Who handles a referral: a role, within the referral's region or sector."""

    LEGAL = Role.LEGAL.value, _("Juridische afdeling")
    ADVISER = Role.ADVISER.value, _("Trajectadviseurs van de regio")
    SECTOR_OFFICIAL = Role.SECTOR_OFFICIAL.value, _("Sectorbestuurder van de sector")
    COORDINATOR = Role.COORDINATOR.value, _("Regiocoördinator")


class Status(models.TextChoices):
    NEW = "new", _("Nieuw")
    ACCEPTED = "accepted", _("Opgepakt")
    DONE = "done", _("Afgerond")
    DECLINED = "declined", _("Afgewezen")


TEXT_MAX = 2000  # an outcome or a reason

OPEN_STATUSES = (Status.NEW, Status.ACCEPTED)
CLOSED_STATUSES = (Status.DONE, Status.DECLINED)

SOURCE_LABELS = {
    "signals": _("Spreekuurgesprek"),
    "loopbaan": _("Loopbaangesprek"),
}


class ReferralQuerySet(models.QuerySet["Referral"]):
    def visible_to(self, user) -> ReferralQuerySet:
        """The receivers see what is routed to them (the legal department everything routed to
        it; advisers and coordinators their regions'; sector officials their sectors'); a
        consultant what they referred; admins everything."""
        if not acting_as(user):
            return self.none()
        role = user.role
        if role == Role.ADMIN:
            return self.all()
        if role == Role.CONSULTANT:
            return self.filter(referred_by=user)
        if role == Role.LEGAL:
            return self.filter(routed_to=Receiver.LEGAL)
        if role in (Role.ADVISER, Role.COORDINATOR):
            return self.filter(routed_to=role, region__in=user.regions.all())
        if role == Role.SECTOR_OFFICIAL:
            return self.filter(routed_to=Receiver.SECTOR_OFFICIAL, sector__in=user.sectors.all())
        return self.none()

    def handled_by(self, user) -> ReferralQuerySet:
        """What `user` may accept, close or decline: a receiver's inbox, or anything for an
        admin (who picks up what no receiver can). The referring consultant only reads."""
        if not acting_as(user) or user.role == Role.CONSULTANT:
            return self.none()
        return self.visible_to(user)

    def open(self) -> ReferralQuerySet:
        return self.filter(status__in=OPEN_STATUSES)

    def overdue(self, now: dt.datetime | None = None) -> ReferralQuerySet:
        """Nobody picked it up by its due date."""
        return self.filter(status=Status.NEW, due_at__lt=now or timezone.now())

    def fallen_back(self) -> ReferralQuerySet:
        """Open referrals that had no receiver of their own and went to the coordinator."""
        return self.open().exclude(fallback_reason="")


class Referral(models.Model):
    source_app = models.CharField(_("herkomst (app)"), max_length=30)
    source_id = models.PositiveBigIntegerField(_("herkomst (nummer)"))
    kind = models.CharField(_("doorverwezen naar"), max_length=20, choices=Kind.choices)
    routed_to = models.CharField(_("ontvanger"), max_length=20, choices=Receiver.choices)
    fallback_reason = models.CharField(
        _("waarom bij de coördinator"), max_length=200, blank=True, default=""
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
    member = models.ForeignKey(
        "members.Member",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="referrals",
        verbose_name=_("lid"),
    )
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="referrals_made",
        verbose_name=_("doorverwezen door"),
    )
    # The snapshot: name, contact and summary only with the member's consent.
    consent = models.BooleanField(_("toestemming om naam en samenvatting door te geven"))
    member_name = models.CharField(_("naam"), max_length=200, blank=True, default="")
    member_contact = models.CharField(_("contact"), max_length=300, blank=True, default="")
    summary = models.TextField(_("samenvatting"), blank=True, default="")
    topic = models.CharField(_("onderwerp"), max_length=300, blank=True, default="")
    employer_name = models.CharField(_("werkgever"), max_length=200, blank=True, default="")

    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.NEW
    )
    due_at = models.DateTimeField(_("op te pakken voor"))
    created_at = models.DateTimeField(_("doorverwezen op"), default=timezone.now)
    accepted_at = models.DateTimeField(_("opgepakt op"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("opgepakt door"),
    )
    closed_at = models.DateTimeField(_("afgesloten op"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("afgesloten door"),
    )
    outcome = models.TextField(_("uitkomst"), blank=True, default="", max_length=2000)
    decline_reason = models.TextField(
        _("reden van afwijzen"), blank=True, default="", max_length=2000
    )
    is_demo = models.BooleanField(_("demodata"), default=False)

    objects = ReferralQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("doorverwijzing")
        verbose_name_plural = _("doorverwijzingen")
        constraints = [
            models.UniqueConstraint(
                fields=["source_app", "source_id", "kind"], name="referral_once_per_source_kind"
            ),
            models.CheckConstraint(
                condition=~Q(status=Status.DECLINED) | ~Q(decline_reason=""),
                name="referral_declined_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(status=Status.DONE) | ~Q(outcome=""),
                name="referral_done_has_outcome",
            ),
        ]
        indexes = [
            models.Index(fields=["routed_to", "status"], name="referral_receiver_status"),
            models.Index(fields=["status", "due_at"], name="referral_status_due"),
            models.Index(fields=["referred_by", "-created_at"], name="referral_referrer"),
            models.Index(fields=["region", "created_at"], name="referral_region_created"),
        ]

    def __str__(self) -> str:
        return f"{_('Doorverwijzing')} {self.pk}: {self.get_kind_display()}"

    @property
    def source_label(self) -> str:
        return str(SOURCE_LABELS.get(self.source_app, self.source_app))

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_overdue(self) -> bool:
        return self.status == Status.NEW and self.due_at < timezone.now()

    @property
    def picked_up_at(self) -> dt.datetime | None:
        """When a receiver first acted on it (accepted, or closed straight away)."""
        return self.accepted_at or self.closed_at


class ReferralReminder(models.Model):
    """One reminder of an untouched referral: the first at its due date, then one a week.
    A row per reminder with a sent mark, claimed once (core.claims)."""

    referral = models.ForeignKey(
        Referral,
        on_delete=models.CASCADE,
        related_name="reminders",
        verbose_name=_("doorverwijzing"),
    )
    number = models.PositiveSmallIntegerField(_("herinnering nummer"))
    due_at = models.DateTimeField(_("versturen vanaf"))
    sent_at = models.DateTimeField(_("verstuurd op"), null=True, blank=True)

    class Meta:
        verbose_name = _("herinnering doorverwijzing")
        verbose_name_plural = _("herinneringen doorverwijzingen")
        constraints = [
            models.UniqueConstraint(fields=["referral", "number"], name="referral_reminder_once")
        ]

    def __str__(self) -> str:
        return f"{self.referral_id}#{self.number}"
