"""Acting on a signal: open → acknowledged → in progress → closed | dismissed."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from signals.detection import run_detection
from signals.models import Signal, SignalAction, SignalStatus
from signals.services import signal_acknowledge
from tests.factories import EmployerFactory
from tests.signals.helpers import log_session, theme

pytestmark = pytest.mark.django_db


@pytest.fixture
def signal(cast):
    employer = EmployerFactory(sector=cast.sector)
    for _ in range(3):
        log_session(cast, employer=employer, themes=[theme("Ontslag")])
    run_detection(full=True)
    return Signal.objects.get(key=f"employer:{employer.pk}")


def _act(client, signal, **data):
    return client.post(reverse("signals:signal_act", kwargs={"pk": signal.pk}), data)


def test_the_sector_official_takes_a_signal_through_its_whole_life(cast, login_as, signal):
    client = login_as(cast.sector_official)
    _act(client, signal, step="acknowledge")
    signal.refresh_from_db()
    assert signal.status == SignalStatus.ACKNOWLEDGED
    assert signal.acknowledged_by == cast.sector_official
    _act(client, signal, step="start", action=SignalAction.COLLECTIVE_CASE)
    signal.refresh_from_db()
    assert (signal.status, signal.action) == (SignalStatus.IN_PROGRESS, "collective_case")
    _act(client, signal, step="close", text="Cao-afspraak over roosters gemaakt")
    signal.refresh_from_db()
    assert signal.status == SignalStatus.CLOSED
    assert signal.outcome == "Cao-afspraak over roosters gemaakt"
    assert signal.ended_by == cast.sector_official


def test_dismissing_needs_a_reason(cast, login_as, signal):
    client = login_as(cast.sector_official)
    _act(client, signal, step="dismiss", text="")
    signal.refresh_from_db()
    assert signal.status == SignalStatus.OPEN
    _act(client, signal, step="dismiss", text="Al bekend, loopt via de cao-tafel")
    signal.refresh_from_db()
    assert signal.status == SignalStatus.DISMISSED


def test_a_step_cannot_be_skipped(cast, login_as, signal):
    client = login_as(cast.sector_official)
    _act(client, signal, step="close", text="klaar")
    signal.refresh_from_db()
    assert signal.status == SignalStatus.OPEN


def test_two_acknowledgements_at_once_one_wins(cast, signal):
    stale = Signal.objects.get(pk=signal.pk)
    signal_acknowledge(signal=signal, by=cast.sector_official)
    with pytest.raises(ValidationError):
        signal_acknowledge(signal=stale, by=cast.admin)
    signal.refresh_from_db()
    assert signal.acknowledged_by == cast.sector_official


def test_an_official_of_another_sector_cannot_act_on_it(cast, login_as, signal):
    client = login_as(cast.other_sector_official)
    assert _act(client, signal, step="acknowledge").status_code == 404
    signal.refresh_from_db()
    assert signal.status == SignalStatus.OPEN


def test_the_signal_list_shows_open_signals_first(cast, login_as, signal):
    other = EmployerFactory(sector=cast.sector)
    for _ in range(3):
        log_session(cast, employer=other, themes=[theme("Werkdruk")])
    run_detection(full=True)
    signal_acknowledge(signal=signal, by=cast.sector_official)
    client = login_as(cast.sector_official)
    response = client.get(reverse("signals:signal_list"))
    statuses = [s.status for s in response.context["signals"]]
    assert statuses == sorted(statuses, key=lambda s: s != SignalStatus.OPEN)
    assert SignalStatus.OPEN in statuses and SignalStatus.ACKNOWLEDGED in statuses
    assert other.name in response.content.decode()


def test_the_signal_list_needs_the_same_queries_for_many_signals(
    cast, login_as, signal, django_assert_max_num_queries
):
    """Session, user, the official's sectors and the signals with their rule, employer, theme,
    region and sector in one join: a fixed number of queries however many signals."""
    for name in ("Werkdruk", "Pensioen", "Verlof"):
        employer = EmployerFactory(sector=cast.sector)
        for _ in range(3):
            log_session(cast, employer=employer, themes=[theme(name)])
    run_detection(full=True)
    client = login_as(cast.sector_official)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("signals:signal_list"))
    assert len(response.context["signals"]) >= 8
