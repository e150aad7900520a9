"""Employers that do not fall apart: search by name, alias and KvK; propose; confirm; merge."""

from __future__ import annotations

import pytest
from django.urls import reverse

from members.models import Employer
from signals.detection import run_detection
from signals.models import ConsultationSession, Signal, SignalStatus
from signals.selectors import employer_search
from signals.services import employer_merge
from tests.factories import EmployerFactory, MemberFactory
from tests.signals.helpers import log_session, theme

pytestmark = pytest.mark.django_db


@pytest.fixture
def ah(cast):
    EmployerFactory(name="Jumbo Supermarkten B.V.", aliases=["Jumbo"], sector=cast.sector)
    EmployerFactory(name="Albert Schweitzer Ziekenhuis", sector=cast.sector)
    return EmployerFactory(
        name="Albert Heijn B.V.",
        aliases=["AH", "Albert Heijn"],
        kvk_number="35012085",
        sector=cast.sector,
    )


@pytest.mark.parametrize(
    "query", ["AH", "ah", "Albert Heijn", "Albert Heijn B.V.", "albert heijn bv", "35012085"]
)
def test_every_way_of_writing_albert_heijn_finds_albert_heijn_first(ah, query):
    assert employer_search(query)[0] == ah


def test_the_autocomplete_returns_keyboard_choosable_radio_buttons(cast, login_as, ah):
    client = login_as(cast.consultant)
    response = client.get(reverse("signals:employer_search"), {"employer_query": "Albert Heijn"})
    assert f'value="{ah.pk}"' in response.content.decode()
    assert 'type="radio"' in response.content.decode()


def test_the_autocomplete_marks_proposed_employers_and_offers_a_new_one_when_none_match(
    cast, login_as
):
    """The consultants' search offers employers a colleague proposed (marked so), and when
    nothing matches it points to proposing one, not to searching again."""
    proposed = EmployerFactory(name="Bakkerij De Zon", is_confirmed=False)
    client = login_as(cast.consultant)
    url = reverse("signals:employer_search")
    found = client.get(url, {"employer_query": "Bakkerij De Zon"}).content.decode()
    assert f'value="{proposed.pk}"' in found and "voorgesteld" in found
    nothing = client.get(url, {"employer_query": "Qxzwv Nergens"}).content.decode()
    assert "Stel hieronder een nieuwe voor." in nothing and 'type="radio"' not in nothing


def test_merged_employers_are_not_offered(cast, ah):
    duplicate = EmployerFactory(name="Albert Hein", sector=cast.sector, is_confirmed=False)
    employer_merge(source=duplicate, target=ah, by=cast.admin)
    assert duplicate not in employer_search("Albert Hein")
    assert ah in employer_search("Albert Hein")


def test_a_merge_moves_sessions_signals_and_members(cast, ah):
    duplicate = EmployerFactory(name="AH Utrecht", sector=cast.sector, is_confirmed=False)
    member = MemberFactory(employer=duplicate)
    for _ in range(3):
        log_session(cast, employer=duplicate, themes=[theme("Werkdruk")])
    log_session(cast, employer=ah, themes=[theme("Werkdruk")])
    run_detection(full=True)
    old_signal = Signal.objects.get(key=f"employer:{duplicate.pk}")
    employer_merge(source=duplicate, target=ah, by=cast.admin)
    assert not ConsultationSession.objects.filter(employer=duplicate).exists()
    assert ConsultationSession.objects.filter(employer=ah).count() == 4
    old_signal.refresh_from_db()
    assert old_signal.employer == ah and old_signal.key == f"employer:{ah.pk}"
    member.refresh_from_db()
    assert member.employer == ah
    duplicate.refresh_from_db()
    assert duplicate.merged_into == ah
    ah.refresh_from_db()
    assert "AH Utrecht" in ah.aliases
    run_detection(full=True)
    signal = Signal.objects.get(key=f"employer:{ah.pk}", status=SignalStatus.OPEN)
    assert signal.count == 4


def test_merging_two_employers_with_open_signals_keeps_one_signal(cast, ah):
    duplicate = EmployerFactory(name="Albert Hein", sector=cast.sector)
    for employer in (duplicate, ah):
        for _ in range(3):
            log_session(cast, employer=employer, themes=[theme("Werkdruk")])
    run_detection(full=True)
    employer_merge(source=duplicate, target=ah, by=cast.admin)
    active = Signal.objects.active().filter(key=f"employer:{ah.pk}")
    assert active.count() == 1
    assert active.get().count == 6


def test_the_admin_confirms_or_merges_proposed_employers(cast, login_as, ah):
    proposed = EmployerFactory(
        name="Bakkerij Jansen", is_confirmed=False, proposed_by=cast.consultant
    )
    other = EmployerFactory(name="Albert Heyn", is_confirmed=False, proposed_by=cast.consultant)
    client = login_as(cast.admin)
    page = client.get(reverse("signals:employer_review")).content.decode()
    assert "Bakkerij Jansen" in page and "Albert Heyn" in page
    client.post(reverse("signals:employer_confirm", kwargs={"pk": proposed.pk}))
    client.post(reverse("signals:employer_merge", kwargs={"pk": other.pk}), {"target": ah.pk})
    proposed.refresh_from_db()
    other.refresh_from_db()
    assert proposed.is_confirmed
    assert other.merged_into == ah


def test_a_consultant_cannot_confirm_or_merge(cast, login_as, ah):
    proposed = EmployerFactory(name="Bakkerij Jansen", is_confirmed=False)
    client = login_as(cast.consultant)
    assert (
        client.post(reverse("signals:employer_confirm", kwargs={"pk": proposed.pk})).status_code
        == 404
    )
    response = client.post(
        reverse("signals:employer_merge", kwargs={"pk": proposed.pk}), {"target": ah.pk}
    )
    assert response.status_code == 404
    proposed.refresh_from_db()
    assert not proposed.is_confirmed and proposed.merged_into is None
    assert Employer.objects.filter(pk=proposed.pk).exists()


def _ranked_by_every_name(query: str, limit: int) -> list[int]:
    """The ranking the search promises, computed over every employer (no nearest-first index):
    the greater of similarity and word similarity, then the id."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT id FROM (
                SELECT id, GREATEST(similarity(UPPER(name), UPPER(%(q)s)),
                                    word_similarity(UPPER(%(q)s), UPPER(name))) AS score
                FROM members_employer
                WHERE merged_into_id IS NULL
                  AND (UPPER(name) %% UPPER(%(q)s) OR UPPER(%(q)s) <%% UPPER(name))
            ) s ORDER BY score DESC, id LIMIT %(limit)s
            """,
            {"q": query, "limit": limit},
        )
        return [row[0] for row in cursor.fetchall()]


@pytest.mark.parametrize("query", ["Winkelketen 47", "winkel", "Winkelketen 12 B.V.", "keten 3"])
def test_among_many_alike_names_the_search_ranks_as_if_it_read_them_all(db, query):
    """The search reads only the nearest names by each measure (a GiST index); among 300 names
    that all match, its first eight are those of a ranking of every name."""
    Employer.objects.bulk_create(
        Employer(name=f"Winkelketen {n} B.V.", is_confirmed=True) for n in range(300)
    )
    found = [employer.pk for employer in employer_search(query, limit=8)]
    assert found == _ranked_by_every_name(query, 8)
    assert len(found) == 8
