"""Receivers of events sent by other apps (connected in TrajectoriesConfig.ready)."""

from __future__ import annotations

from trajectories import services
from trajectories.models import PlanVersion, ProgressNote, Trajectory


def on_trajectory_referral_made(
    sender, *, member, region=None, source="appointment", source_id=None, note="", **kwargs
):
    """A career appointment referred a member to a trajectory: put them in the intake queue
    of their region (once, however often the event is delivered)."""
    return services.intake_request_from_referral(
        member=member, region=region, source=source, source_id=source_id, note=note or ""
    )


def on_person_deleted(sender, instance, **kwargs):
    """A member or non-member participant is erased: their trajectories stay as anonymous rows
    for the counts, but free text that may name them (progress notes, the shared summary, plan
    snapshots) goes with them."""
    field = "member" if sender._meta.model_name == "member" else "participant"
    trajectories = Trajectory.objects.filter(**{field: instance})
    ProgressNote.objects.filter(trajectory__in=trajectories).delete()
    PlanVersion.objects.filter(plan__trajectory__in=trajectories).delete()
    trajectories.update(shared_summary="")
    trajectories.exclude(stop_reason="").update(stop_reason="(gewist)")
