"""The dashboards' stored figures (dashboard.snapshots): equal to a fresh computation on a real
history, never shown to another region or to someone without access, computed again when old
or after a member import, and on an admin's request."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.conf import settings as settings_module
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation

from dashboard import snapshots, tasks
from dashboard.figures import national_dashboard, region_dashboard
from dashboard.models import DashboardSnapshot
from dashboard.views import write_national_csv, write_region_csv
from members.models import ImportStatus, MemberImport, MemberStatus
from signals.detection import active_rules
from signals.models import RuleKind, Signal, SignalStatus
from tests.conftest import login
from tests.dashboard.test_dashboard import _members, _month_day, _submitted_plan
from tests.factories import region
from tests.referrals.helpers import make_referral
from tests.signals.helpers import log_session, theme

pytestmark = pytest.mark.django_db


def _history(cast) -> None:
    """Members who joined and left in different months, sessions over the year, signals opened
    and closed, referrals: in AM13, and a little in AM18."""
    _members(cast, 9, months_back=1)
    _members(cast, 6, months_back=4)
    _members(cast, 2, months_back=6)  # a small month: hidden, with another
    _members(cast, 5, months_back=9, status=MemberStatus.ENDED, ended_on=_month_day(2))
    _members(cast, 4, months_back=11, status=MemberStatus.ENDED, ended_on=_month_day(0))
    _members(cast, 7, months_back=3, region_code="AM18")
    for days in (1, 5, 12, 33, 34, 35, 70, 71, 140, 200, 260, 300):
        log_session(cast, days_ago=days)
    rule = next(r for r in active_rules() if r.kind == RuleKind.THEME_RISE)
    today = timezone.localdate()
    for n, (months_back, closed) in enumerate(
        [(1, False), (2, True), (5, True), (5, False), (7, True)]
    ):
        signal = Signal.objects.create(
            rule=rule,
            key=f"theme:{theme().pk}:region:{cast.region.pk}:{n}",
            region=cast.region,
            theme=theme(),
            window_start=today - dt.timedelta(days=29),
            window_end=today,
            count=12,
            baseline=4.0,
            score=2.0,
            status=SignalStatus.CLOSED if closed else SignalStatus.OPEN,
        )
        opened = timezone.make_aware(dt.datetime.combine(_month_day(months_back), dt.time(10)))
        Signal.objects.filter(pk=signal.pk).update(
            opened_at=opened, ended_at=opened + dt.timedelta(days=3) if closed else None
        )
    for _ in range(4):
        make_referral(cast, kind="legal")
    make_referral(cast, kind="legal", member=cast.other_member)


def _csv(write, board, **kwargs) -> list[list[str]]:
    out = io.StringIO()
    write(csv.writer(out, delimiter=";"), board, **kwargs)
    return list(csv.reader(io.StringIO(out.getvalue()), delimiter=";"))


def _charts(board) -> list:
    return [(t.key, t.chart) for t in board.trends]


def test_stored_figures_equal_a_fresh_computation_on_a_real_history(cast):
    _history(cast)
    stored = snapshots.refresh_all(["nl"])
    assert stored == 36  # 35 regions and the national view
    for code in ("AM13", "AM18", "AM01"):
        board, stale = snapshots.region_board(region(code))
        assert not stale
        fresh = region_dashboard(region(code), now=board.now)
        assert _csv(write_region_csv, board) == _csv(write_region_csv, fresh)
        assert _charts(board) == _charts(fresh)
        assert board.panel == fresh.panel
        assert board.referral_pickup == fresh.referral_pickup
        assert board.municipalities == fresh.municipalities
    # the history is there to be compared: members joined and ended, sessions, signals
    board, _stale = snapshots.region_board(cast.region)
    totals = {t.key: t.total for t in board.trends}
    assert totals["members.joined"] == 9 + 6 + 2 + 5 + 4
    assert totals["members.ended"] == 9
    assert totals["signals.opened"] == 5 and totals["signals.closed"] == 3
    assert totals["referrals.made"] == 4
    assert isinstance(totals["signals.sessions"], int) and totals["signals.sessions"] >= 12
    national, _stale = snapshots.national_board()
    fresh_national = national_dashboard(now=national.now)
    assert _csv(write_national_csv, national) == _csv(write_national_csv, fresh_national)


def test_stored_figures_hold_the_panel_a_plan_freezes_at_that_moment(cast):
    _history(cast)
    version = _submitted_plan(cast)
    snapshots.refresh_region(cast.region)  # nothing changed since the plan was frozen
    board, _stale = snapshots.region_board(cast.region)
    assert board.panel.figures == version.panel
    assert list(board.panel.figures) == list(region_dashboard(cast.region).panel.figures)
    assert (board.panel.since, board.panel.until) == (version.panel_since, version.panel_until)
    assert (
        board.plan is not None and board.plan.pk == version.plan_id
    )  # read live beside the figures


def test_the_command_stores_every_dashboard(cast):
    out = io.StringIO()
    call_command("refresh_dashboards", stdout=out)
    assert "72 dashboards berekend" in out.getvalue()
    assert DashboardSnapshot.objects.filter(language="en").count() == 36


def test_the_page_shows_the_stored_figures_with_their_time(client, cast):
    _history(cast)
    login(client, cast.coordinator)
    url = reverse("dashboard:region", kwargs={"code": "AM13"})
    first = client.get(url)  # nothing stored yet: computed now, and stored
    assert first.status_code == 200
    row = DashboardSnapshot.objects.get(scope=f"region:{cast.region.pk}", language="nl")
    _members(cast, 30, months_back=0)  # newer data: the stored figures are shown until renewed
    second = client.get(url)
    assert second.context["board"].now == row.taken_at
    taken = timezone.localtime(row.taken_at).strftime("%H:%M")
    assert taken in second.content.decode()  # "Opgehaald op 1 december 2026 06:45"
    assert _csv(write_region_csv, second.context["board"]) == _csv(
        write_region_csv, first.context["board"]
    )
    # and the CSV is the same stored figures
    response = client.get(reverse("dashboard:region_csv", kwargs={"code": "AM13"}))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows == _csv(write_region_csv, first.context["board"])


# --- never to the wrong person ---------------------------------------------------------------


def test_one_regions_stored_figures_never_show_for_another_region_or_without_access(client, cast):
    _members(cast, 23, months_back=2)  # AM13 only
    snapshots.refresh_all(["nl"])
    login(client, cast.coordinator)  # AM13's page drawn (and its drawing kept)
    assert "Dashboard Midden-Utrecht" in client.get("/dashboard/AM13/").content.decode()
    # Another region's coordinator: the AM13 page and CSV are 404, stored figures or not.
    login(client, cast.other_coordinator)
    for name in ("dashboard:region", "dashboard:region_csv"):
        assert client.get(reverse(name, kwargs={"code": "AM13"})).status_code == 404
    # Their own region shows their own figures, not AM13's.
    response = client.get(reverse("dashboard:region", kwargs={"code": "AM18"}))
    board = response.context["board"]
    assert board.region.code == "AM18"
    assert "Midden-Utrecht" not in response.content.decode()
    joined = next(t for t in board.trends if t.key == "members.joined")
    assert joined.cells[9].count == 0 and joined.national_cells[9].count == 23
    assert board.panel == region_dashboard(region("AM18"), now=board.now).panel
    # Someone whose access ended after the figures were stored: a 404, not the stored page.
    login(client, cast.regional_official)
    assert client.get(reverse("dashboard:region", kwargs={"code": "AM13"})).status_code == 200
    cast.regional_official.regions.clear()
    assert client.get(reverse("dashboard:region", kwargs={"code": "AM13"})).status_code == 404
    # Roles without dashboards never reach them.
    for user in (cast.member_user, cast.consultant, cast.sector_official):
        login(client, user)
        assert client.get(reverse("dashboard:region", kwargs={"code": "AM13"})).status_code == 404
    # The national view is the admins' only, stored or not.
    login(client, cast.coordinator)
    assert client.get(reverse("dashboard:national")).status_code == 404


def test_each_language_has_its_own_stored_figures(client, cast):
    _members(cast, 6, months_back=2)
    snapshots.refresh_all(["nl"])
    with translation.override("en"):
        board, _stale = snapshots.region_board(cast.region)
    joined = next(t for t in board.trends if t.key == "members.joined")
    assert joined.title != "Nieuwe leden per maand"
    assert DashboardSnapshot.objects.filter(language="en").count() == 1


# --- computed again --------------------------------------------------------------------------


@pytest.fixture
def queued(monkeypatch):
    """The dashboards asked for in the background (the task is not run)."""
    asked: list[tuple[str, str]] = []
    monkeypatch.setattr(tasks.refresh_dashboard, "delay", lambda *args: asked.append(args))
    return asked


def _age(scope: str, minutes: int) -> None:
    DashboardSnapshot.objects.filter(scope=scope).update(
        taken_at=timezone.now() - dt.timedelta(minutes=minutes)
    )


def test_old_figures_are_shown_marked_and_new_ones_asked_for_once(client, cast, queued):
    scope = f"region:{cast.region.pk}"
    tasks.cache.delete(tasks._asked_key(scope, "nl"))
    snapshots.refresh_region(cast.region)
    login(client, cast.coordinator)
    url = reverse("dashboard:region", kwargs={"code": "AM13"})
    assert "nieuwere cijfers berekend" not in client.get(url).content.decode()
    assert queued == []
    _age(scope, 11)
    page = client.get(url).content.decode()
    assert "Er worden nu nieuwere cijfers berekend" in page
    client.get(url)
    assert queued == [(scope, "nl")]  # asked once, not on every request
    # the task computes and stores them, and the page is fresh again
    tasks.refresh_dashboard(scope, "nl")
    assert "nieuwere cijfers berekend" not in client.get(url).content.decode()


def test_figures_from_before_a_member_import_are_computed_again(client, cast, queued):
    scope = f"region:{cast.region.pk}"
    tasks.cache.delete(tasks._asked_key(scope, "nl"))
    snapshots.refresh_region(cast.region)
    login(client, cast.coordinator)
    url = reverse("dashboard:region", kwargs={"code": "AM13"})
    # a check only, or a dry run, changes no member
    MemberImport.objects.create(
        file_name="check.csv", status=ImportStatus.PREVIEWED, finished_at=timezone.now()
    )
    MemberImport.objects.create(
        file_name="proef.csv", status=ImportStatus.DONE, dry_run=True, finished_at=timezone.now()
    )
    client.get(url)
    assert queued == []
    MemberImport.objects.create(
        file_name="leden.csv", status=ImportStatus.DONE, finished_at=timezone.now()
    )
    assert "Er worden nu nieuwere cijfers berekend" in client.get(url).content.decode()
    assert queued == [(scope, "nl")]


def test_an_admin_asks_for_new_figures_and_nobody_else_may(client, cast, queued):
    login(client, cast.coordinator)
    url = reverse("dashboard:region_refresh", kwargs={"code": "AM13"})
    assert client.post(url).status_code == 404
    assert queued == []
    login(client, cast.admin)
    assert client.get(url).status_code == 405
    response = client.post(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard:region", kwargs={"code": "AM13"})
    response = client.post(reverse("dashboard:national_refresh"))
    assert response["Location"] == reverse("dashboard:national")
    assert queued == [(f"region:{cast.region.pk}", "nl"), ("national", "nl")]
    assert (
        client.post(reverse("dashboard:region_refresh", kwargs={"code": "AM99"})).status_code == 404
    )


def test_figures_stored_under_another_minimum_group_are_not_used(cast, settings):
    _members(cast, 4, months_back=2)
    snapshots.refresh_region(cast.region)
    settings.FNV = {**settings.FNV, "MIN_GROUP_SIZE": 5}
    board, _stale = snapshots.region_board(cast.region)
    joined = next(t for t in board.trends if t.key == "members.joined")
    assert joined.total == "minder dan 5"


def test_the_nightly_task_stores_every_dashboard_in_every_language(cast):
    assert tasks.refresh_dashboards() == 2 * 36
    assert DashboardSnapshot.objects.count() == 72
    assert "dashboard-refresh" in settings_module.CELERY_BEAT_SCHEDULE
