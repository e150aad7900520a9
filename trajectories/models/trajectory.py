"""Trajectories, their statuses and their advisers over time."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.roles import Role, acting_as
from trajectories.models.people import CollectiveCase, IntakeRequest, Participant

DEFAULT_REVIEW_INTERVAL_WEEKS = 4


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
