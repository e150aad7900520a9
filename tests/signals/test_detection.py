"""Detection rules at their exact thresholds, joining, and one signal per problem."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection
from django.utils import timezone

from signals.detection import active_rules, employer_key, poisson_sf, run_detection
from signals.models import (
    DetectionRule,
    NotificationKind,
    RuleKind,
    Signal,
    SignalNotification,
    SignalStatus,
)
from signals.services import signal_acknowledge, signal_close
from tests.conftest import Cast, ensure_reference_data
from tests.factories import EmployerFactory
from tests.signals.helpers import log_session, theme

pytestmark = pytest.mark.django_db


def _cluster_signals():
    return Signal.objects.filter(rule__kind=RuleKind.EMPLOYER_CLUSTER)


def test_it_opens_no_employer_signal_at_n_minus_one_sessions(cast):
    employer = EmployerFactory(sector=cast.sector)
    for _ in range(2):
        log_session(cast, employer=employer)
    run_detection(full=True)
    assert not _cluster_signals().exists()


def test_it_opens_one_employer_signal_at_exactly_n_sessions(cast):
    employer = EmployerFactory(sector=cast.sector)
    sessions = [log_session(cast, employer=employer, days_ago=i) for i in range(3)]
    run_detection(full=True)
    signal = _cluster_signals().get(key=employer_key(employer.pk))
    assert signal.count == 3
    assert set(signal.sessions.all()) == set(sessions)
    assert signal.status == SignalStatus.OPEN
    assert signal.sector == cast.sector
    # the same three sessions share a theme: the per-theme key fires as well
    assert _cluster_signals().filter(key=employer_key(employer.pk, theme().pk)).exists()


def test_it_counts_per_theme_only_sessions_of_that_theme(cast):
    employer = EmployerFactory(sector=cast.sector)
    log_session(cast, employer=employer, themes=[theme("Ontslag")])
    log_session(cast, employer=employer, themes=[theme("Ontslag")])
    log_session(cast, employer=employer, themes=[theme("Werkdruk")])
    run_detection(full=True)
    keys = set(_cluster_signals().values_list("key", flat=True))
    assert keys == {employer_key(employer.pk)}


def test_it_counts_only_whole_days_inside_the_window(cast):
    employer = EmployerFactory(sector=cast.sector)
    today = timezone.localdate()
    tz = timezone.get_current_timezone()
    first_day = today - dt.timedelta(days=29)  # D = 30: today and the 29 days before
    just_inside = dt.datetime.combine(first_day, dt.time(0, 1), tzinfo=tz)
    just_outside = dt.datetime.combine(first_day, dt.time(0, 0), tzinfo=tz) - dt.timedelta(
        minutes=1
    )
    log_session(cast, employer=employer, at=just_outside)
    log_session(cast, employer=employer)
    log_session(cast, employer=employer)
    run_detection(full=True, today=today)
    assert not _cluster_signals().exists()
    log_session(cast, employer=employer, at=just_inside)
    run_detection(full=True, today=today)
    assert _cluster_signals().get(key=employer_key(employer.pk)).count == 3


def test_a_new_session_joins_the_open_signal_and_the_official_hears_again_only_per_step(cast):
    employer = EmployerFactory(sector=cast.sector)
    for _ in range(3):
        log_session(cast, employer=employer)
    run_detection(full=True)
    signal = _cluster_signals().get(key=employer_key(employer.pk))
    notes = SignalNotification.objects.filter(signal=signal, recipient=cast.sector_official)
    assert list(notes.values_list("kind", flat=True)) == [NotificationKind.NEW]
    for expected_count in (4, 5):
        log_session(cast, employer=employer)
        run_detection()
        signal.refresh_from_db()
        assert signal.count == expected_count
        assert notes.count() == 1  # grown by less than the step (3): no new message
    log_session(cast, employer=employer)
    run_detection()
    signal.refresh_from_db()
    assert signal.count == 6
    assert notes.filter(kind=NotificationKind.GROWN, count=6).count() == 1
    assert _cluster_signals().filter(key=employer_key(employer.pk)).count() == 1


def test_running_twice_changes_nothing(cast):
    employer = EmployerFactory(sector=cast.sector)
    for _ in range(3):
        log_session(cast, employer=employer)
    run_detection(full=True)
    before = (Signal.objects.count(), SignalNotification.objects.count())
    run_detection(full=True)
    run_detection()
    assert (Signal.objects.count(), SignalNotification.objects.count()) == before


def test_sessions_of_a_closed_signal_do_not_open_a_new_one(cast):
    employer = EmployerFactory(sector=cast.sector)
    for _ in range(3):
        log_session(cast, employer=employer, themes=[theme("Ontslag")])
    DetectionRule.objects.filter(kind=RuleKind.EMPLOYER_CLUSTER).update(per_theme=False)
    run_detection(full=True)
    signal = _cluster_signals().get()
    signal_acknowledge(signal=signal, by=cast.sector_official)
    signal_close(signal=signal, by=cast.sector_official, outcome="Gesprek met de werkgever")
    run_detection(full=True)
    assert _cluster_signals().count() == 1
    for _ in range(3):
        log_session(cast, employer=employer)
    run_detection(full=True)
    assert _cluster_signals().count() == 2
    assert _cluster_signals().get(status=SignalStatus.OPEN).count == 3


def test_poisson_tail_matches_known_values():
    assert poisson_sf(0, 2.0) == 1.0
    assert poisson_sf(1, 2.0) == pytest.approx(1 - 0.1353352832, rel=1e-9)
    assert poisson_sf(5, 1.0) == pytest.approx(0.0036598468, rel=1e-7)
    assert poisson_sf(3, 3.0) == pytest.approx(0.5768099189, rel=1e-7)
    assert poisson_sf(400, 100.0) < 1e-50


def _rise_rule():
    rules = {r.kind: r for r in active_rules()}
    return rules[RuleKind.THEME_RISE]


def _regional_rises(cast):
    return Signal.objects.filter(rule__kind=RuleKind.THEME_RISE, region=cast.region)


def test_a_theme_rise_fires_at_the_minimum_count_when_the_baseline_is_low(cast):
    rule = _rise_rule()  # min_count 5, p < 0.01; baseline here: none, so expected = 30/365
    for _ in range(rule.min_count - 1):
        log_session(cast, themes=[theme("Faillissement")])
    run_detection(full=True)
    assert not _regional_rises(cast).exists()
    log_session(cast, themes=[theme("Faillissement")])
    run_detection(full=True)
    signal = _regional_rises(cast).get()
    assert signal.count == rule.min_count
    assert signal.theme == theme("Faillissement")
    assert signal.key == f"theme:{theme('Faillissement').pk}:region:{cast.region.pk}"


def test_a_theme_rise_needs_the_poisson_test_not_just_the_count(cast):
    """Baseline 120 in 365 days → expected 120+1 × 30/365 ≈ 9.95; P(X≥17) ≈ 0.027 > 0.01,
    P(X≥19) ≈ 0.0067 < 0.01: 17 sessions give no signal, 19 do."""
    rule = _rise_rule()
    assert poisson_sf(17, 121 * 30 / 365) > rule.p_value > poisson_sf(19, 121 * 30 / 365)
    subject = theme("Werkdruk")
    for i in range(120):
        log_session(cast, themes=[subject], days_ago=40 + i * 3 % 360)
    for _ in range(17):
        log_session(cast, themes=[subject])
    run_detection(full=True)
    assert not _regional_rises(cast).exists()
    for _ in range(2):
        log_session(cast, themes=[subject])
    run_detection(full=True)
    assert _regional_rises(cast).get().count == 19


@pytest.mark.django_db(transaction=True)
def test_two_detection_runs_at_once_create_one_signal_and_one_notification():
    ensure_reference_data()
    cast = Cast()
    employer = EmployerFactory(sector=cast.sector)
    for _ in range(3):
        log_session(cast, employer=employer, themes=[theme("Loon niet betaald")])
    barrier = threading.Barrier(4)
    errors = []

    def run():
        try:
            barrier.wait()
            run_detection(full=True)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert _cluster_signals().filter(key=employer_key(employer.pk)).count() == 1
    signal = _cluster_signals().get(key=employer_key(employer.pk))
    assert signal.count == 3
    assert (
        SignalNotification.objects.filter(
            signal=signal, recipient=cast.sector_official, kind=NotificationKind.NEW
        ).count()
        == 1
    )


def test_the_detect_signals_command_runs_a_detection(cast):
    from io import StringIO

    from django.core.management import call_command

    employer = EmployerFactory(sector=cast.sector)
    for _ in range(3):
        log_session(cast, employer=employer)
    out = StringIO()
    call_command("detect_signals", "--full", stdout=out)
    assert "full run" in out.getvalue()
    assert _cluster_signals().filter(key=employer_key(employer.pk)).exists()


def test_the_beat_schedule_runs_detection_every_quarter_of_an_hour():
    from django.conf import settings

    entry = settings.CELERY_BEAT_SCHEDULE["signals-detect"]
    assert entry["task"] == "signals.tasks.detect_signals"
    assert entry["schedule"] == 15 * 60


def test_a_new_session_joins_an_open_theme_rise_in_an_incremental_run(cast):
    for _ in range(5):
        log_session(cast, themes=[theme("Faillissement")])
    run_detection(full=True)
    signal = _regional_rises(cast).get()
    newest = log_session(cast, themes=[theme("Faillissement")])
    result = run_detection()
    assert not result.full
    signal.refresh_from_db()
    assert signal.count == 6
    assert newest in signal.sessions.all()
    assert _regional_rises(cast).count() == 1


def _detected() -> dict[tuple[str, str], tuple[int, list[int]]]:
    return {
        (signal.rule.kind, signal.key): (
            signal.count,
            sorted(signal.sessions.values_list("pk", flat=True)),
        )
        for signal in Signal.objects.active().select_related("rule")
    }


def test_incremental_runs_over_a_history_find_what_one_full_run_finds(cast):
    """A month of sessions logged in four batches, with an incremental run after each (the
    first run of the day is full), against one full run over the same sessions afterwards:
    the same signals, counts and sessions, for both rules and both dimensions."""
    employers = [EmployerFactory(sector=cast.sector) for _ in range(3)]
    themes = [theme("Ontslag"), theme("Werkdruk"), theme("Faillissement")]
    grown = set()
    for batch in range(4):
        for i in range(5):
            log_session(
                cast,
                employer=employers[(batch + i) % 3] if i % 4 else None,
                themes=[themes[i % 3]] if i % 2 else themes[: 1 + batch % 3],
                days_ago=(batch * 7 + i) % 25,
                consultant=cast.other_consultant if i == 3 else None,
                union_house=cast.other_union_house if i == 3 else None,
            )
        before = _detected()
        result = run_detection()
        assert result.full == (batch == 0)
        grown |= {
            key
            for key, (count, _) in _detected().items()
            if key in before and count > before[key][0]
        }
    incremental = _detected()
    Signal.objects.all().delete()
    run_detection(full=True)
    assert _detected() == incremental
    kinds = {kind for kind, _ in incremental}
    assert kinds == {RuleKind.EMPLOYER_CLUSTER, RuleKind.THEME_RISE}
    keys = {key for _, key in incremental}
    assert any(":region:" in key for key in keys) and any(":sector:" in key for key in keys)
    assert any(":theme:" in key and key.startswith("employer:") for key in keys)
    assert grown, "some signal grew in a later incremental run"


def test_a_count_at_or_below_its_expectation_is_never_a_rise():
    """The theme-rise rule skips the Poisson sum when count ≤ expected, as P(X ≥ k) ≥ 1/2
    there (the skip applies only to a p-value of at most 1/2): from tiny to large expectations."""
    for lam in [0.05, 0.3, 0.7, 0.99, 1.0, 1.5, 2.69, 2.7, 3.3, 9.95, 10.0, 47.5, 120.2, 365.0]:
        for k in range(int(lam) + 1):
            assert poisson_sf(k, lam) >= 0.5, (k, lam)


def test_a_closed_theme_signal_keeps_its_sessions_from_its_own_key_only(cast):
    """The sessions of a closed `employer:<e>:theme:<t>` signal do not count again for that
    key, but still do for the employer over all themes (whose signal stays open and grows), and
    not for another employer's key."""
    employer = EmployerFactory(sector=cast.sector)
    other = EmployerFactory(sector=cast.sector)
    subject = theme("Ontslag")
    first = [log_session(cast, employer=employer, themes=[subject]) for _ in range(3)]
    run_detection(full=True)
    per_theme = _cluster_signals().get(key=employer_key(employer.pk, subject.pk))
    signal_acknowledge(signal=per_theme, by=cast.sector_official)
    signal_close(signal=per_theme, by=cast.sector_official, outcome="Besproken")
    later = [log_session(cast, employer=employer, themes=[subject]) for _ in range(2)]
    for _ in range(3):
        log_session(cast, employer=other, themes=[subject])
    run_detection(full=True)
    # two new sessions for the theme key: below N, no second signal
    assert (
        not _cluster_signals()
        .filter(key=employer_key(employer.pk, subject.pk), status=SignalStatus.OPEN)
        .exists()
    )
    overall = _cluster_signals().get(key=employer_key(employer.pk))
    assert overall.count == 5
    assert set(overall.sessions.all()) == set(first + later)
    assert _cluster_signals().get(key=employer_key(other.pk, subject.pk)).count == 3
    third = log_session(cast, employer=employer, themes=[subject])
    run_detection()
    reopened = _cluster_signals().get(
        key=employer_key(employer.pk, subject.pk), status=SignalStatus.OPEN
    )
    assert reopened.count == 3
    assert set(reopened.sessions.all()) == {*later, third}
    assert reopened.score == 2.0  # all six in the window over N, as before the closing


def test_a_run_counts_as_candidates_every_key_at_or_above_n(cast):
    employer = EmployerFactory(sector=cast.sector)
    for _ in range(3):
        log_session(cast, employer=employer, themes=[theme("Ontslag")])
    first = run_detection(full=True)
    assert (first.candidates, first.opened) == (2, 2)  # employer, and employer with theme
    again = run_detection(full=True)
    assert (again.candidates, again.opened, again.grown) == (2, 0, 0)


def test_a_grown_employer_signal_gets_the_new_window_and_score(cast):
    employer = EmployerFactory(sector=cast.sector)
    for _ in range(3):
        log_session(cast, employer=employer, themes=[theme("Ontslag")])
    run_detection(full=True)
    signal = _cluster_signals().get(key=employer_key(employer.pk))
    assert (signal.baseline, signal.score) == (3.0, 1.0)
    for _ in range(2):
        log_session(cast, employer=employer, themes=[theme("Werkdruk")])
    run_detection()
    signal.refresh_from_db()
    assert (signal.count, signal.baseline, signal.score) == (5, 3.0, 5 / 3)
    assert signal.window_end == timezone.localdate()
