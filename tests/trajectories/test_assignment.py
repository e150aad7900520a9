"""Reassigning the adviser ends the old assignment and keeps the history."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from tests.trajectories import factories as f
from trajectories import services
from trajectories.models import AdviserAssignment, Trajectory


def test_reassigning_ends_the_old_assignment_and_keeps_the_history(cast):
    trajectory = f.active_trajectory(adviser=cast.adviser, member=cast.member)
    second = f.adviser(cast.region)
    third = f.adviser(cast.region)
    services.trajectory_reassign(
        by=cast.adviser, trajectory=trajectory, new_adviser=second, reason="Verlof"
    )
    trajectory.refresh_from_db()
    services.trajectory_reassign(by=cast.coordinator, trajectory=trajectory, new_adviser=third)
    rows = list(
        AdviserAssignment.objects.filter(trajectory=trajectory).order_by("started_at", "pk")
    )
    assert [r.adviser for r in rows] == [cast.adviser, second, third]
    assert rows[0].ended_at is not None and rows[1].ended_at is not None
    assert rows[2].ended_at is None
    assert rows[1].reason == "Verlof" and rows[2].assigned_by == cast.coordinator
    trajectory.refresh_from_db()
    assert trajectory.adviser == third


def test_the_old_adviser_loses_sight_and_the_new_one_gains_it(cast):
    trajectory = f.trajectory(adviser=cast.adviser, member=cast.member)
    second = f.adviser(cast.region)
    services.trajectory_reassign(by=cast.adviser, trajectory=trajectory, new_adviser=second)
    assert not Trajectory.objects.visible_to(cast.adviser).filter(pk=trajectory.pk).exists()
    assert Trajectory.objects.visible_to(second).filter(pk=trajectory.pk).exists()


def test_it_refuses_an_adviser_from_another_region(cast):
    trajectory = f.trajectory(adviser=cast.adviser)
    with pytest.raises(ValidationError, match="regio"):
        services.trajectory_reassign(
            by=cast.adviser, trajectory=trajectory, new_adviser=cast.other_adviser
        )
    assert AdviserAssignment.objects.filter(trajectory=trajectory).count() == 1


def test_it_refuses_a_coordinator_of_another_region_and_other_advisers(cast):
    trajectory = f.trajectory(adviser=cast.adviser)
    second = f.adviser(cast.region)
    for outsider in (cast.other_coordinator, second, cast.regional_official, cast.admin):
        with pytest.raises(ValidationError):
            services.trajectory_reassign(by=outsider, trajectory=trajectory, new_adviser=second)
    trajectory.refresh_from_db()
    assert trajectory.adviser == cast.adviser
