"""Retention and erasure for trajectories (called by fnvregio.tasks / members.erasure)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils.translation import gettext as _

from trajectories import signup
from trajectories.models import (
    AdviserAssignment,
    Goal,
    IntakeRequest,
    PlanVersion,
    ProgressNote,
    Trajectory,
)


def apply_retention(*, now: datetime, days: dict[str, int]) -> dict[str, int]:
    """Delete the progress notes of trajectories that ended longer ago than the period; the
    trajectory, its outcome and its counts stay. Delete public sign-ups nobody took on."""
    cutoff = now - timedelta(days=days["trajectory_notes"])
    deleted, _ = ProgressNote.objects.filter(trajectory__ended_at__lt=cutoff).delete()
    # Public sign-ups nobody took on: deleted after their own (short) period.
    signups = signup.delete_unhandled(now=now)
    return {"trajectory_notes_deleted": deleted, "public_signups_deleted": signups}


def erase_member(*, member) -> dict[str, int]:
    """Every free text written about the member's trajectories goes; the trajectories, their
    kind, status, dates and outcomes stay for the counts. A stopped trajectory must keep a
    reason (a database constraint), so its reason becomes "(gewist)"."""
    trajectories = Trajectory.objects.filter(member=member)
    notes, _deleted = ProgressNote.objects.filter(trajectory__in=trajectories).delete()
    summaries = trajectories.exclude(shared_summary="").update(shared_summary="")
    stop_reasons = trajectories.exclude(stop_reason="").update(stop_reason=_("(gewist)"))
    reassignments = (
        AdviserAssignment.objects.filter(trajectory__in=trajectories)
        .exclude(reason="")
        .update(reason="")
    )
    goals = Goal.objects.filter(plan__trajectory__in=trajectories).update(description=_("(gewist)"))
    versions = PlanVersion.objects.filter(plan__trajectory__in=trajectories).update(
        snapshot={}, change=_("(gewist)")
    )
    intake_notes = IntakeRequest.objects.filter(member=member).exclude(note="").update(note="")
    return {
        "trajectory_notes_deleted": notes,
        "trajectory_summaries_blanked": summaries,
        "trajectory_stop_reasons_blanked": stop_reasons,
        "trajectory_reassignment_reasons_blanked": reassignments,
        "trajectory_goals_blanked": goals,
        "trajectory_plan_versions_blanked": versions,
        "intake_notes_blanked": intake_notes,
    }
