"""The employer of a trajectory's outcome and of a collective case: a search, never a <select>
of every employer, that works without JavaScript and refuses made-up ids in Dutch."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.conftest import login
from tests.factories import EmployerFactory
from tests.trajectories import factories as f
from trajectories.forms import CollectiveCaseForm, EndForm
from trajectories.models import CollectiveCase, Outcome, TrajectoryStatus

pytestmark = pytest.mark.django_db

TAMPERED_MESSAGE = "Deze werkgever staat niet (meer) in de lijst."


@pytest.fixture
def own(cast):
    return f.active_trajectory(adviser=cast.adviser, member=cast.member)


@pytest.fixture
def employers(cast):
    """Thirty confirmed employers: the old <select> listed every one of them."""
    return [EmployerFactory(name=f"Lijstwerkgever {n:02d} B.V.") for n in range(30)]


@pytest.fixture
def albert_heijn(cast):
    return EmployerFactory(
        name="Albert Heijn B.V.", aliases=["AH"], kvk_number="35012085", sector=cast.sector
    )


def _end_url(trajectory):
    return reverse("trajectories:end", kwargs={"pk": trajectory.pk})


def _ending(**changes):
    return {
        "ending": "completed",
        "stop_reason": "",
        "kind": "new_job",
        "contract_kind": "permanent",
        "under_cao": "yes",
        **changes,
    }


def _case(cast, **changes):
    return {
        "name": "Reorganisatie distributiecentrum",
        "kind": "reorganisation",
        "region": cast.region.pk,
        "announced_on": timezone.localdate().isoformat(),
        "description": "",
        **changes,
    }


def _found_ids(html: str) -> list[str]:
    return re.findall(r'<input type="radio" name="employer" id="[^"]*" value="(\d+)"', html)


def _refused_employer(response, trajectory) -> str:
    """The page came back with a Dutch error on the employer, and the trajectory is untouched."""
    assert response.status_code == 200
    trajectory.refresh_from_db()
    assert trajectory.status == TrajectoryStatus.ACTIVE
    assert not Outcome.objects.filter(trajectory=trajectory).exists()
    return response.context["form"].errors["employer"][0]


# --- the pages list no employers -------------------------------------------------------------


def test_the_outcome_page_searches_instead_of_listing_every_employer(client, cast, own, employers):
    login(client, cast.adviser)
    html = client.get(_end_url(own)).content.decode()
    assert '<select name="employer"' not in html
    assert not any(employer.name in html for employer in employers)
    assert 'name="employer_query"' in html
    assert f'hx-get="{reverse("members:employer_search")}"' in html
    # The outcome may have no employer: a radio button says so, chosen until a search is.
    assert re.search(r'name="employer" id="id_employer_none" value="" checked', html)


def test_the_new_case_page_searches_instead_of_listing_every_employer(client, cast, employers):
    login(client, cast.adviser)
    html = client.get(reverse("trajectories:case_new")).content.decode()
    assert '<select name="employer"' not in html
    assert not any(employer.name in html for employer in employers)
    assert 'name="employer_query"' in html
    # A required search box would stop the browser once an employer is chosen and it is empty.
    assert not re.search(r'<input type="search"[^>]*\brequired\b', html)


# --- choosing through the search -------------------------------------------------------------


def test_an_adviser_records_the_new_employer_chosen_through_the_search(
    client, cast, own, employers, albert_heijn
):
    login(client, cast.adviser)
    found = client.get(reverse("members:employer_search"), {"employer_query": "Albert Heijn"})
    assert _found_ids(found.content.decode())[0] == str(albert_heijn.pk)
    response = client.post(
        _end_url(own),
        _ending(employer_query="Albert Heijn", employer=str(albert_heijn.pk)),
    )
    assert response.status_code == 302
    outcome = Outcome.objects.get(trajectory=own)
    assert outcome.employer == albert_heijn
    assert outcome.sector == cast.sector  # the employer's sector, as before


def test_an_outcome_without_an_employer_still_ends_the_trajectory(client, cast, own):
    login(client, cast.adviser)
    response = client.post(
        _end_url(own), _ending(kind="training", employer="", contract_kind="", under_cao="")
    )
    assert response.status_code == 302
    assert Outcome.objects.get(trajectory=own).employer is None


def test_without_javascript_a_search_comes_back_with_the_matches_to_choose_from(
    client, cast, own, employers, albert_heijn
):
    login(client, cast.adviser)
    response = client.post(_end_url(own), _ending(employer_query="albert hein", employer=""))
    assert _refused_employer(response, own) == "Kies een werkgever uit de lijst."
    html = response.content.decode()
    assert str(albert_heijn.pk) in _found_ids(html)
    assert 'value="albert hein"' in html  # the search stays in its box
    # Choosing one of the matches and sending again saves it.
    response = client.post(
        _end_url(own), _ending(employer_query="albert hein", employer=str(albert_heijn.pk))
    )
    assert response.status_code == 302
    assert Outcome.objects.get(trajectory=own).employer == albert_heijn


def test_a_search_that_finds_nothing_says_so(client, cast, own, employers):
    login(client, cast.adviser)
    response = client.post(_end_url(own), _ending(employer_query="Qqqxxzz", employer=""))
    assert _refused_employer(response, own).startswith("Geen werkgever gevonden.")
    assert _found_ids(response.content.decode()) == []


def test_the_chosen_employer_stays_chosen_when_another_field_is_wrong(
    client, cast, own, albert_heijn
):
    login(client, cast.adviser)
    response = client.post(
        _end_url(own),
        _ending(ending="stopped", stop_reason="", employer=str(albert_heijn.pk)),
    )
    assert response.status_code == 200
    assert "stop_reason" in response.context["form"].errors
    html = response.content.decode()
    assert re.search(
        rf'name="employer" id="id_employer_chosen" value="{albert_heijn.pk}" checked', html
    )
    assert "Albert Heijn B.V." in html


# --- made-up and stale ids -------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    ["abc", "1\x00", "99999999999999999999", "9" * 5000, "-1", "0", "PROPOSED", "MERGED"],
)
def test_a_made_up_or_unconfirmed_employer_is_refused_in_dutch(client, cast, own, value):
    proposed = EmployerFactory(name="Voorgestelde Werkgever", is_confirmed=False)
    kept = EmployerFactory(name="Samengevoegd Bij")
    merged = EmployerFactory(name="Samengevoegde Werkgever", merged_into=kept)
    value = {"PROPOSED": str(proposed.pk), "MERGED": str(merged.pk)}.get(value, value)
    login(client, cast.adviser)
    response = client.post(_end_url(own), _ending(employer=value))
    assert _refused_employer(response, own).startswith(TAMPERED_MESSAGE)


def test_a_search_with_a_nul_byte_is_refused_in_dutch(client, cast, own):
    login(client, cast.adviser)
    response = client.post(_end_url(own), _ending(employer_query="Albert\x00", employer=""))
    assert _refused_employer(response, own).startswith("Zoek met een naam of KvK-nummer")


def test_a_new_case_needs_a_confirmed_employer_chosen_through_the_search(
    client, cast, employers, albert_heijn
):
    proposed = EmployerFactory(name="Albert Heijn Voorstel", is_confirmed=False)
    login(client, cast.coordinator)
    url = reverse("trajectories:case_new")
    for value, message in [
        ("", "Zoek de werkgever en kies hem uit de lijst."),
        (str(proposed.pk), TAMPERED_MESSAGE),
        ("12abc", TAMPERED_MESSAGE),
        ("99999999999999999999", TAMPERED_MESSAGE),
    ]:
        response = client.post(url, _case(cast, employer=value))
        assert response.status_code == 200
        assert response.context["form"].errors["employer"][0].startswith(message)
    assert not CollectiveCase.objects.exists()
    response = client.post(url, _case(cast, employer_query="AH", employer=""))
    assert response.context["form"].errors["employer"] == ["Kies een werkgever uit de lijst."]
    assert _found_ids(response.content.decode()) == [str(albert_heijn.pk)]
    assert not CollectiveCase.objects.exists()
    response = client.post(url, _case(cast, employer_query="AH", employer=str(albert_heijn.pk)))
    case = CollectiveCase.objects.get()
    assert response.url == reverse("trajectories:case_detail", kwargs={"pk": case.pk})
    assert case.employer == albert_heijn


# --- editing shows the employer already chosen ----------------------------------------------


def test_a_form_with_an_employer_shows_its_name_chosen(cast, albert_heijn):
    for form in [
        EndForm(initial={"employer": albert_heijn.pk}),
        CollectiveCaseForm(initial={"employer": albert_heijn}, user=cast.coordinator),
    ]:
        html = str(form["employer"])
        assert re.search(
            rf'name="employer" id="id_employer_chosen" value="{albert_heijn.pk}" checked', html
        )
        assert "Albert Heijn B.V." in html
        assert 'id="id_employer_none" value="" checked' not in html


def test_an_edit_whose_employer_was_merged_shows_no_stale_choice(cast):
    kept = EmployerFactory(name="Nieuwe Naam B.V.")
    merged = EmployerFactory(name="Oude Naam B.V.", merged_into=kept)
    html = str(EndForm(initial={"employer": merged.pk})["employer"])
    assert "Oude Naam B.V." not in html
    assert 'id="id_employer_none" value="" checked' in html
