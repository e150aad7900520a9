"""Workshops and trainings, their sessions and enrolments with a waiting list."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from trajectories.models.trajectory import Trajectory

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
