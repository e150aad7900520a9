"""Information meetings (informatiebijeenkomsten) and the registrations for them.

A meeting is public once published: anyone may see it and register. A member registers with
their account; anyone else with a name and an e-mail address and consent for this one purpose,
and those two are forgotten after the meeting (meetings/retention.py). A full meeting puts new
registrations on its waiting list, which moves up in order when a place comes free.
"""

from __future__ import annotations

import secrets

from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.roles import Role, acting_as


class Theme(models.TextChoices):
    DISMISSAL = "ontslag", _("Wat te doen bij ontslag")
    CAREER_CHECK = "loopbaancheck", _("Loopbaancheck")
    CAO = "cao", _("Cao-bijeenkomst")
    REORGANISATION = "reorganisatie", _("Reorganisatie bij een werkgever")
    OTHER = "anders", _("Anders")


# Themes about one employer: the meeting names it.
EMPLOYER_THEMES = frozenset({Theme.CAO, Theme.REORGANISATION})


class MeetingQuerySet(models.QuerySet):
    def visible_to(self, user) -> MeetingQuerySet:
        """Published meetings for everyone, anonymous visitors included; the meetings a
        coordinator (their regions) or an admin plans, published or not."""
        public = Q(is_published=True)
        if acting_as(user, Role.ADMIN):
            return self.all()
        if acting_as(user, Role.COORDINATOR):
            return self.filter(public | Q(region__in=user.regions.all()))
        return self.filter(public)

    def planned_by(self, user) -> MeetingQuerySet:
        """The meetings a user may change and whose registrations they see: an admin all, a
        coordinator those in their regions, anyone else none."""
        if acting_as(user, Role.ADMIN):
            return self.all()
        if acting_as(user, Role.COORDINATOR):
            return self.filter(region__in=user.regions.all())
        return self.none()

    def public(self) -> MeetingQuerySet:
        return self.filter(is_published=True, cancelled_at__isnull=True)

    def upcoming(self, now=None) -> MeetingQuerySet:
        return self.filter(ends_at__gt=now or timezone.now())

    def with_counts(self) -> MeetingQuerySet:
        return self.annotate(
            registered_count=models.Count(
                "registrations", filter=Q(registrations__status=RegistrationStatus.REGISTERED)
            ),
            waiting_count=models.Count(
                "registrations", filter=Q(registrations__status=RegistrationStatus.WAITING)
            ),
        )


class Meeting(models.Model):
    title = models.CharField(_("titel"), max_length=150)
    theme = models.CharField(_("thema"), max_length=16, choices=Theme.choices)
    description = models.TextField(_("omschrijving"), blank=True)
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("regio")
    )
    union_house = models.ForeignKey(
        "regions.UnionHouse",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("vakbondshuis"),
    )
    online_url = models.URLField(
        _("link voor online deelname"),
        blank=True,
        help_text=_("Alleen wie aangemeld is, ziet deze link."),
    )
    employer = models.ForeignKey(
        "members.Employer",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("werkgever"),
    )
    starts_at = models.DateTimeField(_("begint om"))
    ends_at = models.DateTimeField(_("eindigt om"))
    capacity = models.PositiveSmallIntegerField(_("aantal plaatsen"))
    organiser = models.ForeignKey(
        "members.User",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("organisator"),
    )
    is_published = models.BooleanField(_("gepubliceerd"), default=False)
    cancelled_at = models.DateTimeField(_("geannuleerd op"), null=True, blank=True)
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    is_demo = models.BooleanField(_("demodata"), default=False)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("informatiebijeenkomst")
        verbose_name_plural = _("informatiebijeenkomsten")
        constraints = [
            models.CheckConstraint(condition=Q(capacity__gte=1), name="meeting_capacity_positive"),
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="meeting_ends_after_start"
            ),
            models.CheckConstraint(
                condition=(Q(union_house__isnull=False) & Q(online_url=""))
                | (Q(union_house__isnull=True) & ~Q(online_url="")),
                name="meeting_in_a_house_or_online",
            ),
        ]
        indexes = [models.Index(fields=["region", "starts_at"])]

    def __str__(self) -> str:
        return f"{self.title} ({timezone.localtime(self.starts_at):%d-%m-%Y %H:%M})"

    @property
    def is_online(self) -> bool:
        return self.union_house_id is None

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None

    @property
    def has_started(self) -> bool:
        return self.starts_at <= timezone.now()

    @property
    def place(self) -> str:
        """Where, without the online link (which only registered people see)."""
        house = self.union_house
        if house is not None:
            return f"{house.name}, {house.address}"
        return str(_("Online"))

    @property
    def is_open_for_registration(self) -> bool:
        return self.is_published and not self.is_cancelled and not self.has_started


class RegistrationStatus(models.TextChoices):
    REGISTERED = "registered", _("aangemeld")
    WAITING = "waiting", _("op de wachtlijst")
    CANCELLED = "cancelled", _("afgemeld")


def new_token() -> str:
    return secrets.token_urlsafe(24)


class RegistrationQuerySet(models.QuerySet):
    def visible_to(self, user) -> RegistrationQuerySet:
        """A member their own registrations; the planners of a meeting its registrations."""
        if acting_as(user, Role.MEMBER):
            return self.filter(member__user=user)
        return self.filter(meeting__in=Meeting.objects.planned_by(user))

    def active(self) -> RegistrationQuerySet:
        return self.exclude(status=RegistrationStatus.CANCELLED)


class Registration(models.Model):
    """A place at a meeting or on its waiting list (in order of `created_at`). Either a member
    (`member`) or a guest (`name`, `email`, `consent_at`); a guest's name and e-mail are
    blanked after the meeting (`forgotten_at`), the row stays for the counts."""

    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.CASCADE,
        related_name="registrations",
        verbose_name=_("bijeenkomst"),
    )
    member = models.ForeignKey(
        "members.Member",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("lid"),
    )
    name = models.CharField(_("naam"), max_length=150, blank=True)
    email = models.EmailField(_("e-mailadres"), blank=True)
    consent_at = models.DateTimeField(_("toestemming gegeven op"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=RegistrationStatus.choices)
    token = models.CharField(_("sleutel"), max_length=40, unique=True, default=new_token)
    attended = models.BooleanField(_("aanwezig"), null=True, blank=True)
    created_at = models.DateTimeField(_("aangemeld op"), auto_now_add=True)
    promoted_at = models.DateTimeField(_("van de wachtlijst gehaald op"), null=True, blank=True)
    moved_up_mail_sent_at = models.DateTimeField(
        _("mail over de vrijgekomen plaats verstuurd op"), null=True, blank=True
    )
    reminder_sent_at = models.DateTimeField(_("herinnering verstuurd op"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("afgemeld op"), null=True, blank=True)
    forgotten_at = models.DateTimeField(_("gegevens gewist op"), null=True, blank=True)
    is_demo = models.BooleanField(_("demodata"), default=False)

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("aanmelding")
        verbose_name_plural = _("aanmeldingen")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "member"],
                condition=~Q(status="cancelled") & Q(member__isnull=False),
                name="meeting_one_active_registration_per_member",
            ),
            models.UniqueConstraint(
                "meeting",
                Lower("email"),
                condition=~Q(status="cancelled") & Q(member__isnull=True) & ~Q(email=""),
                name="meeting_one_active_registration_per_email",
            ),
            models.CheckConstraint(
                condition=Q(member__isnull=False) | Q(consent_at__isnull=False),
                name="meeting_guest_gave_consent",
            ),
        ]

    def __str__(self) -> str:
        return _("Aanmelding %(number)s") % {"number": self.pk}

    @property
    def is_guest(self) -> bool:
        return self.member_id is None

    @property
    def display_name(self) -> str:
        if self.member is not None:
            return self.member.display_name
        return self.name or str(_("(gewist)"))

    @property
    def address(self) -> str:
        """Where mail about this registration goes ("" when there is nowhere)."""
        member = self.member
        if member is not None:
            user = member.user
            return member.email or (user.email if user is not None else "")
        return self.email
