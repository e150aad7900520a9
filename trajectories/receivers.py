"""Receivers of events sent by other apps (connected by `connect`, which TrajectoriesConfig
declares)."""

from __future__ import annotations

from django.db.models.signals import pre_delete

from members.events import trajectory_referral_made
from members.models import Member
from trajectories import services
from trajectories.models import Participant, PlanVersion, ProgressNote, Trajectory


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


def connect() -> None:
    trajectory_referral_made.connect(
        on_trajectory_referral_made, dispatch_uid="trajectories.referral_to_intake"
    )
    for model in (Member, Participant):
        pre_delete.connect(
            on_person_deleted, sender=model, dispatch_uid=f"trajectories.erase.{model.__name__}"
        )
