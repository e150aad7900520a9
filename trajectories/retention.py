"""Retention and erasure for trajectories (called by fnvregio.tasks / members.erasure)."""

from __future__ import annotations

from datetime import datetime, timedelta

from trajectories.models import IntakeRequest, ProgressNote, Trajectory


def apply_retention(*, now: datetime, days: dict[str, int]) -> dict[str, int]:
    """Delete the progress notes of trajectories that ended longer ago than the period; the
    trajectory, its outcome and its counts stay."""
    cutoff = now - timedelta(days=days["trajectory_notes"])
    deleted, _ = ProgressNote.objects.filter(trajectory__ended_at__lt=cutoff).delete()
    return {"trajectory_notes_deleted": deleted}


def erase_member(*, member) -> dict[str, int]:
    trajectories = Trajectory.objects.filter(member=member)
    notes, _ = ProgressNote.objects.filter(trajectory__in=trajectories).delete()
    summaries = trajectories.exclude(shared_summary="").update(shared_summary="")
    intake_notes = IntakeRequest.objects.filter(member=member).exclude(note="").update(note="")
    return {
        "trajectory_notes_deleted": notes,
        "trajectory_summaries_blanked": summaries,
        "intake_notes_blanked": intake_notes,
    }
