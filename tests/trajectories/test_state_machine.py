"""The trajectory's states: intake → active → completed | stopped, and nothing else."""

from __future__ import annotations

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from tests.conftest import Cast, ensure_reference_data
from tests.trajectories import factories as f
from trajectories.models import Trajectory, TrajectoryStatus

ALL = [s.value for s in TrajectoryStatus]
LEGAL = {
    ("intake", "active"),
    ("intake", "stopped"),
    ("active", "completed"),
    ("active", "stopped"),
}


def _move(trajectory: Trajectory, target: str) -> None:
    if target == TrajectoryStatus.ACTIVE:
        trajectory.activate()
    elif target == TrajectoryStatus.COMPLETED:
        trajectory.complete()
    elif target == TrajectoryStatus.STOPPED:
        trajectory.stop(reason="Verhuisd naar het buitenland")
    else:
        trajectory._transition(target)


def _in_status(cast, status: str) -> Trajectory:
    t = f.trajectory(adviser=cast.adviser)
    Trajectory.objects.filter(pk=t.pk).update(status=status, stop_reason="x")
    t.refresh_from_db()
    return t


@pytest.mark.parametrize("source", ALL)
@pytest.mark.parametrize("target", ALL)
def test_it_allows_only_the_legal_transitions_and_refuses_the_rest_in_dutch(cast, source, target):
    trajectory = _in_status(cast, source)
    if (source, target) in LEGAL:
        _move(trajectory, target)
        trajectory.refresh_from_db()
        assert trajectory.status == target
        return
    with pytest.raises(ValidationError) as refused:
        _move(trajectory, target)
    message = refused.value.messages[0]
    assert "traject" in message.lower()
    assert " kan " in message or " al " in message  # a Dutch sentence, not a code
    trajectory.refresh_from_db()
    assert trajectory.status == source


def test_it_refuses_to_stop_without_a_reason(cast):
    trajectory = f.trajectory(adviser=cast.adviser)
    with pytest.raises(ValidationError, match="reden"):
        trajectory.stop(reason="  ")
    trajectory.refresh_from_db()
    assert trajectory.status == TrajectoryStatus.INTAKE


def test_a_stale_copy_cannot_overwrite_a_change_made_meanwhile(cast):
    trajectory = f.trajectory(adviser=cast.adviser)
    stale = Trajectory.objects.get(pk=trajectory.pk)
    trajectory.activate()
    with pytest.raises(ValidationError, match="intussen"):
        stale.stop(reason="Geen interesse meer")
    trajectory.refresh_from_db()
    assert trajectory.status == TrajectoryStatus.ACTIVE
    assert trajectory.stop_reason == ""


@pytest.mark.django_db(transaction=True)
def test_of_two_simultaneous_state_changes_exactly_one_wins():
    ensure_reference_data()
    cast = Cast()
    trajectory = f.active_trajectory(adviser=cast.adviser)
    barrier = threading.Barrier(2)
    results: list[str] = []

    def act(kind: str) -> None:
        try:
            copy = Trajectory.objects.get(pk=trajectory.pk)
            barrier.wait()
            if kind == "complete":
                copy.complete()
            else:
                copy.stop(reason="Gestopt")
            results.append(kind)
        except ValidationError:
            results.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=act, args=(k,)) for k in ("complete", "stop")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results).count("refused") == 1
    trajectory.refresh_from_db()
    assert trajectory.status in (TrajectoryStatus.COMPLETED, TrajectoryStatus.STOPPED)
