"""Receivers of events sent by other apps (connected in TrajectoriesConfig.ready)."""

from __future__ import annotations

from trajectories import services


def on_trajectory_referral_made(
    sender, *, member, region=None, source="appointment", source_id=None, note="", **kwargs
):
    """A career appointment referred a member to a trajectory: put them in the intake queue
    of their region (once, however often the event is delivered)."""
    return services.intake_request_from_referral(
        member=member, region=region, source=source, source_id=source_id, note=note or ""
    )
