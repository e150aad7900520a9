"""The plan of action: goals, versions, reviews and progress notes."""

from __future__ import annotations

import datetime

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.roles import Role, acting_as
from trajectories.models.trajectory import (
    DEFAULT_REVIEW_INTERVAL_WEEKS,
    Trajectory,
    TrajectoryStatus,
)

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
