"""The union houses in public: the postcode search, a house's page, the next free career
appointment on it, and the career slots that follow the house's closures and opening hours."""

from __future__ import annotations

import datetime as dt
from datetime import time

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from core import registry
from loopbaan.public import house_facts
from loopbaan.slots import free_consultants_at, search_slots
from regions.hours import houses_near, nearby_houses, normalise_postcode, parse_week
from regions.models import ConsultationHours, HoursKind, HouseClosure, OpeningHours
from tests.factories import UnionHouseFactory
from tests.loopbaan.helpers import consultant_at, make_appointment, next_weekday_at

pytestmark = pytest.mark.django_db


def _municipality(code):
    from regions.models import Municipality

    return Municipality.objects.get(code=code)


@pytest.fixture
def utrecht_houses(db):
    """Three houses in Midden-Utrecht (AM13): Utrecht, Woerden, Zeist; one in Amsterdam."""
    utrecht = UnionHouseFactory(
        name="Vakbondshuis Domplein",
        street="Domplein",
        house_number="9",
        postcode="3512 JC",
        municipality=_municipality("GM0344"),
        phone="030 123 45 67",
        email="domplein@example.nl",
        accessibility="Lift naar de eerste verdieping; invalidenparkeerplaats voor de deur.",
    )
    woerden = UnionHouseFactory(
        name="Vakbondshuis Rijnstraat", city="Woerden", municipality=_municipality("GM0632")
    )
    zeist = UnionHouseFactory(
        name="Vakbondshuis Slotlaan", city="Zeist", municipality=_municipality("GM0355")
    )
    amsterdam = UnionHouseFactory(
        name="Vakbondshuis IJplein", city="Amsterdam", municipality=_municipality("GM0363")
    )
    return utrecht, woerden, zeist, amsterdam


# --- the postcode search --------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["3511 AB", "3511ab", "3511", " 3511  AB ", "3511 ab"])
def test_it_reads_every_usual_way_of_writing_a_postcode(typed):
    assert normalise_postcode(typed) == "3511"


@pytest.mark.parametrize(
    "typed", ["351", "35111", "0123 AB", "3511 A", "abcd", "3511\x00AB", "9" * 10_000]
)
def test_it_refuses_what_is_not_a_postcode_with_a_dutch_message(typed):
    with pytest.raises(ValidationError, match="zoals 3511 AB"):
        normalise_postcode(typed)


def test_a_utrecht_postcode_gives_the_houses_of_midden_utrecht_nearest_first(utrecht_houses):
    utrecht, woerden, zeist, amsterdam = utrecht_houses
    region, houses = houses_near("3511 AB")
    assert region.code == "AM13"
    assert houses[0] == utrecht
    assert set(houses) == {utrecht, woerden, zeist}  # not Amsterdam: another region
    assert houses.index(zeist) < houses.index(woerden)  # Zeist is closer to Utrecht than Woerden
    _, near = nearby_houses("3511")
    assert near[0].distance_km == 0 and near[-1].distance_km > 10


def test_a_postcode_in_another_region_gives_that_regions_houses(utrecht_houses):
    *_, amsterdam = utrecht_houses
    region, houses = houses_near("1011 AB")
    assert region.code == "AM18" and houses == [amsterdam]


def test_a_region_without_houses_points_to_the_nearest_ones_elsewhere(utrecht_houses):
    region, houses = houses_near("9711")  # Groningen
    assert region.code == "AM01"
    assert houses and all(house.region.code != "AM01" for house in houses)
    assert len(houses) <= 3


def test_an_unknown_postcode_says_so(utrecht_houses):
    with pytest.raises(ValidationError, match="kennen we niet"):
        houses_near("1000 AA")


def test_hidden_and_inactive_houses_are_not_found(utrecht_houses):
    utrecht, woerden, zeist, _ = utrecht_houses
    UnionHouseFactory(name="Vakbondshuis Verborgen", is_public=False)
    UnionHouseFactory(name="Vakbondshuis Gesloten", is_active=False)
    _, houses = houses_near("3511")
    assert {house.name for house in houses} == {utrecht.name, woerden.name, zeist.name}


# --- the pages ------------------------------------------------------------------------------


def _hours(house):
    for weekday, opens, closes in parse_week("ma-vr 09:00-17:00"):
        OpeningHours.objects.create(house=house, weekday=weekday, opens=opens, closes=closes)
    ConsultationHours.objects.create(
        house=house,
        kind=HoursKind.WORK_INCOME,
        weekday=1,
        starts=time(13),
        ends=time(16),
        note="zonder afspraak",
    )


def test_the_search_page_shows_the_regions_houses_with_next_hours_for_a_visitor(
    client, utrecht_houses
):
    utrecht, *_ = utrecht_houses
    _hours(utrecht)
    page = client.get(reverse("regions:houses"), {"postcode": "3511 AB"}).content.decode()
    assert "Vakbondshuizen in regio Midden-Utrecht" in page
    assert "Vakbondshuis Domplein" in page and "Vakbondshuis IJplein" not in page
    assert "Volgende spreekuur werk &amp; inkomen" in page
    assert utrecht.get_absolute_url() in page
    assert page.index("Vakbondshuis Domplein") < page.index("Vakbondshuis Rijnstraat")


def test_the_search_page_without_a_postcode_lists_every_public_house(client, utrecht_houses):
    page = client.get(reverse("regions:houses")).content.decode()
    assert "Vakbondshuis IJplein" in page and "Vakbondshuis Slotlaan" in page


@pytest.mark.parametrize("typed", ["abc", "1000 AA", "3511\x00", "x" * 5000])
def test_a_bad_postcode_shows_a_message_at_the_field(client, utrecht_houses, typed):
    response = client.get(reverse("regions:houses"), {"postcode": typed})
    assert response.status_code == 200
    page = response.content.decode()
    assert 'aria-invalid="true"' in page and 'id="postcode-error"' in page
    assert "Vakbondshuis Domplein" not in page.split("postcode-error")[1]


def test_a_houses_page_shows_address_contact_hours_and_closures_to_a_visitor(
    client, utrecht_houses
):
    utrecht, *_ = utrecht_houses
    _hours(utrecht)
    today = timezone.localdate()
    HouseClosure.objects.create(
        house=utrecht,
        starts_on=today + dt.timedelta(days=3),
        ends_on=today + dt.timedelta(days=4),
        reason="Verbouwing",
    )
    HouseClosure.objects.create(
        house=utrecht,
        starts_on=today - dt.timedelta(days=30),
        ends_on=today - dt.timedelta(days=29),
        reason="Oude sluiting",
    )
    response = client.get(utrecht.get_absolute_url())
    assert response.status_code == 200
    page = response.content.decode()
    for expected in [
        "Domplein 9",
        "3512 JC",
        "030 123 45 67",
        "mailto:domplein@example.nl",
        "Lift naar de eerste verdieping",
        "09:00 – 17:00",
        "Spreekuur werk &amp; inkomen",
        "zonder afspraak",
        "Verbouwing",
        "Midden-Utrecht",
    ]:
        assert expected in page, expected
    assert "Oude sluiting" not in page
    assert page.count("<h1") == 1


def test_a_house_page_shows_no_personal_data(client, cast):
    house = cast.union_house
    partner = consultant_at(house, weekday=2)
    make_appointment(cast.member, [cast.consultant, partner], house, next_weekday_at(2, 10))
    page = client.get(house.get_absolute_url()).content.decode()
    for private in [
        cast.member.display_name,
        cast.member_user.email,
        cast.consultant.email,
        partner.email,
    ]:
        assert private not in page


def test_a_hidden_house_and_an_unknown_slug_are_not_found(client, utrecht_houses):
    hidden = UnionHouseFactory(name="Vakbondshuis Achterdeur", is_public=False)
    assert client.get(hidden.get_absolute_url()).status_code == 404
    assert client.get("/vakbondshuizen/bestaat-niet/").status_code == 404


# --- the next free career appointment -------------------------------------------------------


def test_the_house_page_shows_the_next_free_career_appointment_with_a_booking_link(client, cast):
    house = cast.union_house
    consultant_at(house, weekday=2, start=time(10), end=time(12))
    consultant_at(house, weekday=2, start=time(10), end=time(12))
    (fact,) = house_facts(house, now=timezone.now())
    assert fact.label == "Eerstvolgende vrije loopbaanafspraak"
    assert fact.url == reverse("loopbaan:book_slots", kwargs={"place": str(house.pk)})
    first = search_slots(union_house_id=house.pk, limit=1)[0].local_start
    assert f"{first:%H:%M}" in fact.value
    page = client.get(house.get_absolute_url()).content.decode()
    assert "Eerstvolgende vrije loopbaanafspraak" in page and fact.url in page
    assert any(f.label == fact.label for f in registry.house_facts(house, now=timezone.now()))


def test_a_house_without_free_career_time_says_to_look_elsewhere(cast):
    (fact,) = house_facts(cast.union_house, now=timezone.now())
    assert "geen vrije tijd" in fact.value
    cast.union_house.hosts_career_hours = False
    assert house_facts(cast.union_house, now=timezone.now()) == []


# --- the booking pages use the same hours ---------------------------------------------------


def test_no_career_slot_is_offered_on_a_day_the_house_is_closed(cast):
    house = cast.union_house
    consultant_at(house, weekday=2, start=time(9), end=time(12))
    consultant_at(house, weekday=2, start=time(9), end=time(12))
    closed = next_weekday_at(2, 10)
    before = {s.local_start.date() for s in search_slots(union_house_id=house.pk)}
    assert closed.date() in before
    HouseClosure.objects.create(
        house=house, starts_on=closed.date(), ends_on=closed.date(), reason="Studiedag"
    )
    after = {s.local_start.date() for s in search_slots(union_house_id=house.pk)}
    assert after == before - {closed.date()}
    assert free_consultants_at(union_house_id=house.pk, starts_at=closed) == []


def test_career_slots_stay_inside_the_houses_opening_hours_when_recorded(cast):
    house = cast.union_house
    consultant_at(house, weekday=2, start=time(9), end=time(17))
    consultant_at(house, weekday=2, start=time(9), end=time(17))
    OpeningHours.objects.create(house=house, weekday=2, opens=time(9), closes=time(12, 30))
    OpeningHours.objects.create(house=house, weekday=2, opens=time(14), closes=time(16))
    found = search_slots(union_house_id=house.pk)
    assert found
    for slot in found:
        start = slot.local_start.time()
        end = (slot.local_start + dt.timedelta(hours=1)).time()
        assert (time(9) <= start and end <= time(12, 30)) or (
            time(14) <= start and end <= time(16)
        ), slot.local_start
    assert any(slot.local_start.time() == time(14) for slot in found)
    afternoon = next_weekday_at(2, 16)
    assert free_consultants_at(union_house_id=house.pk, starts_at=afternoon) == []


def test_online_slots_ignore_the_union_houses_hours(cast):
    consultant_at(None, online=True, weekday=2, start=time(9), end=time(12))
    consultant_at(None, online=True, weekday=2, start=time(9), end=time(12))
    HouseClosure.objects.create(
        house=cast.union_house,
        starts_on=timezone.localdate(),
        ends_on=timezone.localdate() + dt.timedelta(days=60),
        reason="Verhuizing",
    )
    assert search_slots(union_house_id=None)


def test_a_region_page_links_its_public_houses_to_their_pages(client, utrecht_houses):
    utrecht, *_ = utrecht_houses
    hidden = UnionHouseFactory(name="Vakbondshuis Achterom", is_public=False)
    page = client.get(reverse("regions:detail", kwargs={"code": "AM13"})).content.decode()
    assert utrecht.get_absolute_url() in page
    assert "Vakbondshuis Achterom" in page and hidden.get_absolute_url() not in page


def test_the_search_takes_a_bounded_number_of_queries_per_house(
    client, utrecht_houses, django_assert_max_num_queries
):
    for house in utrecht_houses[:3]:
        _hours(house)
    # Per house: two queries per kind of consultation hour, the career slot search (which
    # stops after the availability query when no consultant works there); plus the session,
    # the postcode and the region's houses.
    with django_assert_max_num_queries(3 * 5 + 5):
        response = client.get(reverse("regions:houses"), {"postcode": "3511"})
    assert response.content.decode().count("house-card") == 3
