"""The region dashboards: who sees which region, the minimum-group rule in the charts and the CSV,
the same figures as a regioplan frozen on the same day, and a pinned number of queries."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.trends import month_starts
from dashboard.figures import region_dashboard
from dashboard.snapshots import refresh_region
from labourmarket.demo import EXAMPLE
from labourmarket.parsing import check_file
from labourmarket.services import import_figures
from members.models import MemberStatus
from plans import services as plan_services
from plans.models import PlanAction, PlanVersion, RegionPlan
from tests.conftest import login
from tests.factories import MemberFactory, region
from tests.signals.helpers import log_session

pytestmark = pytest.mark.django_db


def _month_day(months_back: int) -> dt.date:
    """The 10th of the month `months_back` months before this one."""
    first = month_starts(timezone.localdate())[11 - months_back]
    return first.replace(day=10)


def _members(cast, count: int, *, months_back: int, region_code: str = "AM13", **extra):
    return [
        MemberFactory(
            region=region(region_code),
            sector=cast.sector,
            member_since=_month_day(months_back),
            **extra,
        )
        for _ in range(count)
    ]


def _get(client, user, name, **kwargs):
    login(client, user)
    return client.get(reverse(name, kwargs=kwargs or None))


# --- who sees what ---------------------------------------------------------------------------


def test_a_regional_official_with_one_region_lands_on_its_dashboard(client, cast):
    response = _get(client, cast.regional_official, "dashboard:choose")
    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard:region", kwargs={"code": "AM13"})


def test_a_regional_official_sees_own_region_and_gets_404_for_another(client, cast):
    own = _get(client, cast.regional_official, "dashboard:region", code="AM13")
    assert own.status_code == 200
    assert "Dashboard Midden-Utrecht" in own.content.decode()
    assert _get(client, cast.regional_official, "dashboard:region", code="AM18").status_code == 404
    assert (
        _get(client, cast.regional_official, "dashboard:region_csv", code="AM18").status_code == 404
    )
    # the national view (35 regions side by side) is the admins'
    assert _get(client, cast.regional_official, "dashboard:national").status_code == 404


def test_a_coordinator_of_another_region_gets_404(client, cast):
    assert _get(client, cast.other_coordinator, "dashboard:region", code="AM13").status_code == 404
    assert _get(client, cast.other_coordinator, "dashboard:region", code="AM18").status_code == 200


def test_a_region_code_that_cannot_exist_is_a_404(client, cast):
    assert _get(client, cast.admin, "dashboard:region", code="AM99").status_code == 404
    assert _get(client, cast.admin, "dashboard:region", code="x" * 500).status_code == 404


def test_the_home_page_offers_the_dashboard_to_a_regional_official(client, cast):
    response = _get(client, cast.regional_official, "home")
    assert reverse("dashboard:region", kwargs={"code": "AM13"}) in response.content.decode()


# --- the minimum-group rule ------------------------------------------------------------------


def test_a_small_month_is_hidden_with_another_in_the_chart_table_and_csv(client, cast):
    _members(cast, 7, months_back=3)
    _members(cast, 1, months_back=1)  # one person: must never show
    board = region_dashboard(region("AM13"))
    joined = next(t for t in board.trends if t.key == "members.joined")
    assert joined.total == 8
    hidden = [c for c in joined.cells if c.suppressed]
    # the month of one is hidden, and so is the month of 7 (else 8 - 7 gives it back)
    assert len(hidden) == 2
    assert all(c.count is None for c in hidden)
    assert [b.value for b in joined.chart.bars if b.suppressed] == ["afgeschermd"] * 2
    assert "1" not in [b.value for b in joined.chart.bars]

    response = _get(client, cast.regional_official, "dashboard:region_csv", code="AM13")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    mine = [r for r in rows if r[0] == "Midden-Utrecht" and r[2] == joined.title]
    values = [r[4] for r in mine]
    assert values.count("afgeschermd") == 2
    assert "1" not in values and "7" not in values
    assert ["Midden-Utrecht", joined.section, joined.title, "12 maanden", "8"] in rows


def test_a_region_with_fewer_members_than_the_minimum_shows_no_month_at_all(cast):
    _members(cast, 2, months_back=0)
    board = region_dashboard(region("AM13"))
    joined = next(t for t in board.trends if t.key == "members.joined")
    assert joined.total == "minder dan 3"
    assert all(c.suppressed for c in joined.cells if c.count != 0) or all(
        c.suppressed for c in joined.cells
    )
    assert 2 not in [c.count for c in joined.cells]


def test_members_per_municipality_pool_the_small_ones_and_protect_the_rest(cast):
    utrecht = cast.region.municipalities.order_by("code")
    first, second, third = list(utrecht[:3])
    for _ in range(5):
        MemberFactory(region=cast.region, municipality=first, status=MemberStatus.ACTIVE)
    for _ in range(4):
        MemberFactory(region=cast.region, municipality=second, status=MemberStatus.ACTIVE)
    MemberFactory(region=cast.region, municipality=third, status=MemberStatus.ACTIVE)
    rows = dict(region_dashboard(cast.region).municipalities)
    assert third.name not in rows  # one member is never named with their municipality
    # the one is pooled in "Overige gemeenten" (1, with the cast's own member: 2), which is
    # hidden, and so is the smallest other so the total does not give it back
    assert list(rows.values()).count("afgeschermd") == 2


def test_the_national_line_is_a_total_and_other_regions_are_not_shown(client, cast):
    _members(cast, 6, months_back=2)
    _members(cast, 9, months_back=2, region_code="AM18")
    board = region_dashboard(region("AM13"))
    joined = next(t for t in board.trends if t.key == "members.joined")
    assert joined.national_cells[9].count == 15
    assert joined.cells[9].count == 6
    page = _get(client, cast.regional_official, "dashboard:region", code="AM13").content.decode()
    assert "Groot Amsterdam" not in page
    assert "Landelijk (totaal)" in page


def test_the_national_view_hides_a_small_region_with_another(client, cast):
    _members(cast, 1, months_back=2)  # AM13: one
    _members(cast, 6, months_back=2, region_code="AM18")
    response = _get(client, cast.admin, "dashboard:national")
    assert response.status_code == 200
    board = response.context["board"]
    assert "Doorverwijzingen per maand" in response.content.decode()  # the national line
    index = [t.key for t in board.trends].index("members.joined")
    values = {r.code: v[index] for r, v in board.region_rows}
    assert values["AM13"] == "afgeschermd"
    assert values["AM18"] == "afgeschermd"  # else 7 - 6 gives the one back
    rows = list(
        csv.reader(
            io.StringIO(_get(client, cast.admin, "dashboard:national_csv").content.decode()),
            delimiter=";",
        )
    )
    amsterdam = [r for r in rows if r[0] == "Groot Amsterdam" and r[2] == board.trends[index].title]
    assert amsterdam[0][4] == "afgeschermd"


# --- the same source as the regioplan --------------------------------------------------------


def _submitted_plan(cast) -> PlanVersion:
    """This year's plan of the cast's region, written and submitted: its data panel frozen."""
    plan = plan_services.plan_create(
        user=cast.regional_official, region=cast.region, year=timezone.localdate().year
    )
    plan_services.plan_save_sections(
        user=cast.regional_official, plan=plan, sections={"context": "Krapte in de zorg."}
    )
    plan_services.plan_transition(
        user=cast.regional_official,
        plan=RegionPlan.objects.get(pk=plan.pk),
        action=PlanAction.SUBMIT,
    )
    return PlanVersion.objects.get(plan=plan)


def test_a_frozen_plan_panel_equals_the_dashboard_on_that_day(cast):
    _members(cast, 6, months_back=2)
    _members(cast, 4, months_back=5, status=MemberStatus.ENDED, ended_on=_month_day(1))
    for days in (3, 20, 40, 70):
        log_session(cast, days_ago=days)
    checked = check_file(str(EXAMPLE), source="VOORBEELD")
    import_figures(user=cast.admin, checked=checked, filename=EXAMPLE.name, source="VOORBEELD")
    version = _submitted_plan(cast)
    board = region_dashboard(cast.region, now=version.panel_taken_at)
    assert json.loads(json.dumps(board.panel.figures)) == version.panel
    assert board.panel.since == version.panel_since and board.panel.until == version.panel_until
    # and what the plan froze holds the union's figures beside the labour market's
    assert {"members", "signals", "labourmarket"} <= set(version.panel)
    assert "VOORBEELD, geen echte cijfers" in json.dumps(version.panel, ensure_ascii=False)
    assert board.plan is not None and board.plan.pk == version.plan_id


def test_the_page_shows_the_labour_market_with_its_source_and_example_mark(client, cast):
    checked = check_file(str(EXAMPLE), source="VOORBEELD")
    import_figures(user=cast.admin, checked=checked, filename=EXAMPLE.name, source="VOORBEELD")
    page = _get(client, cast.coordinator, "dashboard:region", code="AM13").content.decode()
    assert "Arbeidsmarkt (CBS en UWV)" in page
    assert "VOORBEELD, geen echte cijfers" in page
    assert "VOORBEELD-bestand FNV Regio, geüpload op" in page


# --- print view ------------------------------------------------------------------------------


def test_the_print_view_is_the_same_page_marked_for_print(client, cast):
    login(client, cast.coordinator)
    response = client.get(reverse("dashboard:region", kwargs={"code": "AM13"}) + "?print=1")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'class="dashboard print-view"' in page
    assert "<svg" in page and 'role="img"' in page


# --- speed -----------------------------------------------------------------------------------


def _page_queries(client, user, code="AM13") -> list[str]:
    login(client, user)
    url = reverse("dashboard:region", kwargs={"code": code})
    client.get(url)  # warm: per-process caches filled, as on a busy server
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return [q["sql"] for q in queries.captured_queries]


def _computing_queries(code="AM13") -> int:
    with CaptureQueriesContext(connection) as queries:
        refresh_region(region(code))
    return len(queries)


# Computing a dashboard (dashboard.snapshots.refresh_region): the plans' data panel (one to a
# few per app), the plan of the year (1), members per municipality (1), appointments per house
# (1), one per trend series, the meetings' and referrals' months for the region and the nation
# (6), and storing the result (1), whatever the amount of data. An app that adds a panel figure
# or a series adds its queries here.
MAX_COMPUTING_QUERIES = 55
# A page from stored figures: session and user (2), the region (1), the stored figures (1), the
# plan of the year (1), whether a member import finished since (1), and the page's own.
MAX_PAGE_QUERIES = 10


def _add_data(cast, scale: int) -> None:
    _members(cast, 10 * scale, months_back=4)
    _members(cast, 4 * scale, months_back=7)
    for days in range(0, 300, 100 // scale):
        log_session(cast, days_ago=days)


def test_the_number_of_queries_does_not_grow_with_the_data(client, cast):
    # Past the minimum group everywhere (a breakdown is asked only for a group large enough),
    # then three times as much: the same queries, to compute and to show.
    checked = check_file(str(EXAMPLE), source="VOORBEELD")
    import_figures(user=cast.admin, checked=checked, filename=EXAMPLE.name, source="VOORBEELD")
    _add_data(cast, 1)
    computing = _computing_queries()
    page = _page_queries(client, cast.coordinator)
    _add_data(cast, 3)
    assert _computing_queries() == computing <= MAX_COMPUTING_QUERIES
    assert len(_page_queries(client, cast.coordinator)) == len(page) <= MAX_PAGE_QUERIES
    # The page reads what was stored: no aggregate over members or sessions.
    assert not [sql for sql in page if "members_member" in sql and "COUNT(" in sql.upper()]
    assert not [sql for sql in page if "signals_consultationsession" in sql]


# --- referrals and meetings (their own monthly figures) --------------------------------------


def test_referrals_and_how_fast_they_are_picked_up_beside_the_national_line(client, cast):
    from referrals import services as referral_services
    from tests.referrals.helpers import make_referral

    # this month, in the past: an hour into its first day, or a day ago when that is later
    first = month_starts(timezone.localdate())[11]
    made = max(
        timezone.now() - dt.timedelta(days=1),
        timezone.make_aware(dt.datetime.combine(first, dt.time(1))),
    )
    referrals = [make_referral(cast, kind="legal") for _ in range(3)]
    make_referral(cast, kind="legal", member=cast.other_member)  # another region
    for hours, referral in zip((2, 4, 30), referrals, strict=True):
        type(referral).objects.filter(pk=referral.pk).update(created_at=made)
        referral.refresh_from_db()
        referral_services.accept(
            referral=referral, by=cast.legal, now=made + dt.timedelta(hours=hours)
        )
    board = region_dashboard(cast.region)
    made_trend = next(t for t in board.trends if t.key == "referrals.made")
    this_month = made_trend.cells[11]
    assert this_month.count == 3
    assert made_trend.national_total == 4
    assert "4,0" in board.referral_pickup  # the median of 2, 4 and 30 hours
    page = _get(client, cast.regional_official, "dashboard:region", code="AM13").content.decode()
    assert "Hoe snel een doorverwijzing wordt opgepakt" in page
    assert "Informatiebijeenkomsten" in page


def test_the_pickup_time_of_fewer_referrals_than_the_minimum_is_not_shown(cast):
    from referrals import services as referral_services
    from tests.referrals.helpers import make_referral

    referral = make_referral(cast, kind="legal")
    referral_services.accept(referral=referral, by=cast.legal, now=timezone.now())
    board = region_dashboard(cast.region)
    assert set(board.referral_pickup) == {"–"}


def test_a_regional_official_sees_the_regions_session_and_signal_aggregates_here(client, cast):
    """The signals region page lists signals a regional official may not open (a 404 for them,
    as before); the dashboard is their region page and shows the aggregates."""
    for days in (2, 9, 16):
        log_session(cast, days_ago=days)
    assert _get(client, cast.regional_official, "signals:region", code="AM13").status_code == 404
    page = _get(client, cast.regional_official, "dashboard:region", code="AM13").content.decode()
    for figure in ("Spreekuurgesprekken", "Open signalen", "Signalen geopend per maand"):
        assert figure in page
    assert 'href="/signalen/' not in page  # no link to a signal they may not open
