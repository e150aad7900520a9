"""The signal list's filters and grouping, and the signal page's chart, score and history
(#15 item 6)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from signals.detection import active_rules, run_detection
from signals.models import RuleKind, Signal, SignalAction, SignalStatus
from tests.factories import EmployerFactory
from tests.signals.helpers import log_session, theme

pytestmark = pytest.mark.django_db

LIST = reverse("signals:signal_list")


def _rules():
    return {r.kind: r for r in active_rules()}


def _employer_signal(employer, *, theme_=None, status=SignalStatus.OPEN, count=3, score=1.0):
    today = timezone.localdate()
    key = f"employer:{employer.pk}" + (f":theme:{theme_.pk}" if theme_ else "")
    return Signal.objects.create(
        rule=_rules()[RuleKind.EMPLOYER_CLUSTER],
        key=key,
        employer=employer,
        theme=theme_,
        sector=employer.sector,
        window_start=today - dt.timedelta(days=29),
        window_end=today,
        count=count,
        baseline=3,
        score=score,
        status=status,
    )


def _region_signal(region, theme_, *, count=12, baseline=4.0, score=2.0):
    today = timezone.localdate()
    return Signal.objects.create(
        rule=_rules()[RuleKind.THEME_RISE],
        key=f"theme:{theme_.pk}:region:{region.pk}",
        region=region,
        theme=theme_,
        window_start=today - dt.timedelta(days=29),
        window_end=today,
        count=count,
        baseline=baseline,
        score=score,
    )


def _listed(response) -> list[int]:
    """The ids of the listed signals, in list order."""
    return [s.pk for group in response.context["page"] for s in group["signals"]]


def _ids(*signals: Signal) -> set[int]:
    return {s.pk for s in signals}


@pytest.fixture
def signals(cast):
    ontslag, loon = theme("Ontslag"), theme("Loon")
    handel = EmployerFactory(name="Handelshuis B.V.", sector=cast.sector)
    bouw = EmployerFactory(name="Bouwbedrijf B.V.", sector=cast.other_sector)
    return {
        "handel": _employer_signal(handel),
        "handel_ontslag": _employer_signal(handel, theme_=ontslag, status=SignalStatus.CLOSED),
        "bouw": _employer_signal(bouw, theme_=loon),
        "region": _region_signal(cast.region, loon),
    }


def test_each_filter_narrows_the_list(cast, login_as, signals):
    client = login_as(cast.admin)
    assert set(_listed(client.get(LIST))) == _ids(*signals.values())
    cases = {
        "status=closed": {signals["handel_ontslag"]},
        "status=active": {signals["handel"], signals["bouw"], signals["region"]},
        f"sector={cast.other_sector.pk}": {signals["bouw"]},
        f"region={cast.region.pk}": {signals["region"]},
        "employer=handelshuis": {signals["handel"], signals["handel_ontslag"]},
        "employer=++HANDELS%20HUIS": set(),
        "employer=Bouw": {signals["bouw"]},
        "employer=b.v.": {signals["handel"], signals["handel_ontslag"], signals["bouw"]},
        "employer=%25": set(),  # LIKE's wildcard is a character like any other
        f"theme={theme('Loon').pk}": {signals["bouw"], signals["region"]},
        f"theme={theme('Loon').pk}&status=active&sector={cast.other_sector.pk}": {signals["bouw"]},
    }
    for query, expected in cases.items():
        response = client.get(f"{LIST}?{query}")
        assert response.status_code == 200
        assert set(_listed(response)) == _ids(*expected), query


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("status=%3Cscript%3Ealert(1)%3C/script%3E", "Kies een status uit de lijst."),
        ("sector=abc", "Kies een sector uit de lijst."),
        ("sector=99999999999999999999999", "Kies een sector uit de lijst."),
        ("region=-1", "Kies een regio uit de lijst."),
        ("employer=1%00", "Zoek een werkgever met letters en cijfers, zonder bijzondere tekens."),
        (
            f"employer={'x' * 201}",
            "Zoek een werkgever met een naam of KvK-nummer van hoogstens 200",
        ),
        ("theme=%27%20OR%201=1--", "Kies een thema uit de lijst."),
    ],
)
def test_a_bad_filter_value_gets_a_dutch_message_and_filters_nothing(
    cast, login_as, signals, query, message
):
    client = login_as(cast.admin)
    response = client.get(f"{LIST}?{query}")
    assert response.status_code == 200
    body = response.content.decode()
    assert message in body
    assert "Niet alle filters konden worden gebruikt" in body
    assert "<script>alert" not in body
    assert set(_listed(response)) == _ids(*signals.values())


def test_a_filter_cannot_reach_another_sectors_signals(cast, login_as, signals):
    """The employer filter narrows the person's own signals: the other sector's employer,
    named exactly, finds nothing and shows nowhere on the page; the sector and theme choices
    hold only the person's own signals' values."""
    client = login_as(cast.sector_official)
    response = client.get(f"{LIST}?employer=Bouwbedrijf")
    assert _listed(response) == []
    assert "Geen signalen met deze filters." in response.content.decode()
    assert signals["bouw"].title not in response.content.decode()
    response = client.get(LIST)
    assert signals["bouw"].pk not in _listed(response)
    assert "Bouwbedrijf" not in response.content.decode()
    choices = [str(label) for _v, label in response.context["filters"].fields["sector"].choices]
    assert cast.sector.name in choices and cast.other_sector.name not in choices


def test_the_employer_filter_finds_other_names_and_kvk_numbers(cast, login_as, signals):
    employer = signals["handel"].employer
    employer.aliases = ["De Handelaar", "HH 100%", "Tweede"]
    employer.kvk_number = "12345678"
    employer.save()
    client = login_as(cast.admin)
    expected = {signals["handel"], signals["handel_ontslag"]}
    for text in ("handelaar", "hh 100%", "12345678", "  De   Handelaar "):
        response = client.get(LIST, {"employer": text})
        assert set(_listed(response)) == _ids(*expected), text
    assert _listed(client.get(LIST, {"employer": "1234567"})) == []  # a KvK number is exact
    assert _listed(client.get(LIST, {"employer": "100% | Tweede"})) == []  # never across two names
    # The filter and the page together: the next page's link keeps the text.
    response = client.get(LIST, {"employer": "De Handelaar"})
    assert response.context["filter_query"] == "employer=De+Handelaar"
    assert 'aria-describedby="id_employer_helptext"' in response.content.decode()


def test_the_rows_show_what_the_signals_themselves_say(cast, login_as, signals):
    """The list reads rows, not models: each row's title, kind, status and count are the
    signal's own, for employer signals with and without a theme and a region's theme signal."""
    client = login_as(cast.admin)
    response = client.get(LIST)
    rows = {s.pk: s for group in response.context["page"] for s in group["signals"]}
    assert set(rows) == _ids(*signals.values())
    body = response.content.decode()
    for signal in signals.values():
        signal = Signal.objects.select_related("rule", "employer", "theme", "region").get(
            pk=signal.pk
        )
        row = rows[signal.pk]
        assert row.title == signal.title and signal.title in body
        assert row.get_kind_display() == signal.rule.get_kind_display()
        assert row.get_status_display() == signal.get_status_display()
        assert (row.status, row.count, row.opened_at) == (
            signal.status,
            signal.count,
            signal.opened_at,
        )
        assert row.employer_name == (signal.employer.name if signal.employer_id else None)


def test_signals_of_one_employer_stand_together_under_that_employer(cast, login_as, signals):
    extra = _employer_signal(
        signals["handel"].employer, theme_=theme("Loon"), status=SignalStatus.DISMISSED
    )
    client = login_as(cast.admin)
    response = client.get(LIST)
    groups = list(response.context["page"])
    handel = [g for g in groups if g["employer_name"] == "Handelshuis B.V."]
    assert len(handel) == 1
    listed = {s.pk for s in handel[0]["signals"]}
    assert listed == _ids(signals["handel"], signals["handel_ontslag"], extra)
    assert len(groups) == 3  # Handelshuis (3), Bouwbedrijf (1), the region's signal
    body = response.content.decode()
    assert re.search(r'scope="rowgroup"[^>]*>Handelshuis B\.V\. · 3 signalen<', body)
    assert "Bouwbedrijf B.V. · 1 signaal" not in body  # one signal needs no group heading


def test_pagination_keeps_the_filters(cast, login_as):
    for i in range(30):
        _employer_signal(
            EmployerFactory(name=f"Werkgever {i:02d}", sector=cast.sector),
            status=SignalStatus.CLOSED,
        )
    client = login_as(cast.admin)
    response = client.get(f"{LIST}?status=closed&sector={cast.sector.pk}")
    assert len(_listed(response)) == 25
    body = response.content.decode()
    assert f"?status=closed&amp;sector={cast.sector.pk}&amp;pagina=2" in body
    second = client.get(f"{LIST}?status=closed&sector={cast.sector.pk}&pagina=2")
    assert len(_listed(second)) == 5
    assert client.get(f"{LIST}?pagina=abc").status_code == 200


def test_only_the_signals_of_the_page_are_loaded_whole_and_groups_stay_whole(
    cast, login_as, django_assert_max_num_queries
):
    """40 employers, the fifth with three signals: a page holds 25 groups in list order, the
    employer's group whole on the page where its first signal stands; only the page's signals
    are loaded with their relations (one query), the others are read as ids."""
    employers = [EmployerFactory(name=f"Werkgever {i:02d}", sector=cast.sector) for i in range(40)]
    for employer in employers:
        _employer_signal(employer)
    for name in ("Loon", "Ontslag"):
        _employer_signal(employers[4], theme_=theme(name), status=SignalStatus.ACKNOWLEDGED)
    client = login_as(cast.sector_official)
    client.get(LIST)
    with django_assert_max_num_queries(12) as captured:
        first = client.get(LIST)
    whole = [q["sql"] for q in captured.captured_queries if '"signals_detectionrule"' in q["sql"]]
    assert len(whole) == 1, whole
    ids = re.search(r'"signals_signal"\."id" IN \(([^)]*)\)', whole[0])
    # The newest first: the fifth employer's group (its open signal, and two acknowledged ones
    # that come after every open signal) stands on page 2, so page 1 is 25 single signals.
    assert ids and len(ids.group(1).split(",")) == 25
    groups = list(first.context["page"])
    assert len(groups) == 25
    assert all(len(g["signals"]) == 1 for g in groups)
    second = list(client.get(f"{LIST}?pagina=2").context["page"])
    listed = [s.pk for g in groups + second for s in g["signals"]]
    assert len(listed) == len(set(listed)) == 42  # every signal once, none lost between pages
    together = [g for g in groups + second if g["employer_name"] == employers[4].name]
    assert len(together) == 1 and len(together[0]["signals"]) == 3


def test_the_filter_choices_are_read_as_rows_and_show_what_models_would(cast, signals):
    """The filter's choices come from (pk, name) rows (core.forms label_field): the same
    options, labels and selection as choices built from models."""
    from signals.forms import SignalFilterForm

    visible = Signal.objects.visible_to(cast.admin)
    params = {"sector": str(cast.sector.pk), "region": str(cast.region.pk)}
    rows = SignalFilterForm(params, signals=visible)
    models = SignalFilterForm(params, signals=visible)
    for name in ("sector", "region", "theme"):
        models.fields[name].label_field = None
    for name in ("sector", "region", "theme"):
        assert str(rows[name]) == str(models[name]), name
        assert len(list(rows.fields[name].choices)) > 1, name
    assert f"selected>{cast.sector.name}</option>" in str(rows["sector"])


@pytest.fixture
def detected(cast):
    """Six sessions about one employer over three weeks, found by detection."""
    employer = EmployerFactory(name="Winkelketen B.V.", sector=cast.sector)
    for days_ago in (1, 2, 3, 9, 10, 16):
        log_session(cast, employer=employer, themes=[theme("Ontslag")], days_ago=days_ago)
    run_detection(full=True)
    return Signal.objects.get(key=f"employer:{employer.pk}")


def test_the_chart_has_values_an_axis_and_a_table(cast, login_as, detected):
    client = login_as(cast.sector_official)
    response = client.get(reverse("signals:signal", kwargs={"pk": detected.pk}))
    body = response.content.decode()
    chart = body.index('<svg viewBox="0 0 ')  # the chart, not an icon of the header
    svg = body[chart : body.index("</svg>", chart)]
    values = [bar.value for bar in response.context["chart"]["bars"]]
    assert sum(int(v) for v in values if v.isdigit()) == 6 or "afgeschermd" in values
    for value in values:
        if value.isdigit():
            assert f'class="bar-value" text-anchor="middle">{value}</text>' in svg
    assert 'class="axis"' in svg and 'class="tick"' in svg
    assert ">Gesprekken</text>" in svg  # the y axis says what it counts
    table = body[body.index('class="chart-table"') :]
    assert "De cijfers als tabel" in table and "Week van" in table
    for bar in response.context["chart"]["bars"]:
        assert f'<th scope="row">{bar.label}</th><td class="num">{bar.value}</td>' in table


def test_the_score_of_an_employer_cluster_is_explained(cast, login_as, detected):
    client = login_as(cast.sector_official)
    body = client.get(reverse("signals:signal", kwargs={"pk": detected.pk})).content.decode()
    assert detected.score == 2.0  # six sessions, a threshold of three
    assert (
        "Score 2,00: twee keer zoveel gesprekken over deze werkgever als de drempel van deze "
        "regel (6 gesprekken, drempel 3 in 30 dagen)."
    ) in body


def test_the_score_of_a_theme_rise_is_explained(cast, login_as):
    signal = _region_signal(cast.region, theme("Loon"), count=12, baseline=4.0, score=2.0)
    client = login_as(cast.coordinator)
    body = client.get(reverse("signals:signal", kwargs={"pk": signal.pk})).content.decode()
    assert (
        "Score 2,00: drie keer zoveel gesprekken over dit thema als normaal in deze periode "
        "(12 gesprekken in 30 dagen, verwacht 4,0"
    ) in body
    assert "ongeveer 1 op de 100 keer" in body


def test_the_history_says_who_did_what_in_order(cast, login_as, detected):
    official = login_as(cast.sector_official)
    url = reverse("signals:signal", kwargs={"pk": detected.pk})
    act = reverse("signals:signal_act", kwargs={"pk": detected.pk})
    official.get(url)
    official.post(reverse("signals:signal_read", kwargs={"pk": detected.pk}))
    official.post(act, {"step": "acknowledge"})
    official.post(act, {"step": "start", "action": SignalAction.EMPLOYER_CONTACT})
    official.get(url)  # a second read is not a new event
    official.post(act, {"step": "close", "text": "Afspraak met de werkgever"})
    history = official.get(url).context["history"]
    whats = [e.what for e in history]
    name = str(cast.sector_official)
    assert whats[0].startswith("Geopend door de detectie")
    assert [e.at for e in history] == sorted(e.at for e in history)
    ours = [(e.who, e.what) for e in history if e.who == name]
    assert ours == [
        (name, "Signaal voor het eerst bekeken"),
        (name, "Melding gelezen"),
        (name, "Status Gezien"),
        (name, "In behandeling genomen: Contact met de werkgever"),
        (name, "Afgesloten met een uitkomst"),
    ]
    assert any(w.startswith(f"Melding aan {name}: Nieuw signaal") for w in whats)
    body = official.get(url).content.decode()
    assert 'id="signal-history"' in body and "Afgesloten met een uitkomst" in body
    assert "Afspraak met de werkgever" not in history[-1].what  # no note text in the history


def test_linking_a_collective_case_shows_in_the_history(cast, login_as, detected):
    from signals.services import signal_take_up

    signal_take_up(signal=detected, by=cast.sector_official, action=SignalAction.COLLECTIVE_CASE)
    client = login_as(cast.sector_official)
    history = client.get(reverse("signals:signal", kwargs={"pk": detected.pk})).context["history"]
    assert "Collectieve zaak gekoppeld; status In behandeling" in [e.what for e in history]
