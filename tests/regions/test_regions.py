"""The regions app: reference data (35 regions, their municipalities and postcodes) and the
public region pages."""

from __future__ import annotations

import pytest
from django.urls import reverse

from regions.models import Municipality, PostcodeArea, Region, UnionHouse
from regions.reference import load_reference_data
from tests.factories import UnionHouseFactory

pytestmark = pytest.mark.django_db


def test_the_reference_data_holds_the_35_regions_and_every_municipality_belongs_to_one():
    assert Region.objects.count() == 35
    assert Municipality.objects.count() == 342
    assert not Municipality.objects.filter(region__isnull=True).exists()
    assert Municipality.objects.get(code="GM0344").region.code == "AM13"  # Utrecht
    assert Municipality.objects.get(code="GM0363").region.code == "AM18"  # Amsterdam


def test_a_postcode_leads_to_its_municipality_and_region():
    area = PostcodeArea.objects.select_related("municipality__region").get(pc4="3511")
    assert area.municipality.name == "Utrecht"
    assert area.municipality.region.code == "AM13"


def test_loading_the_reference_data_again_changes_nothing():
    before = (Region.objects.count(), Municipality.objects.count(), PostcodeArea.objects.count())
    counts = load_reference_data(Region, Municipality, PostcodeArea)
    after = (Region.objects.count(), Municipality.objects.count(), PostcodeArea.objects.count())
    assert after == before
    assert counts["regions"] == 35 and counts["postcodes"] == before[2]


def test_a_region_code_is_found_in_any_case_and_odd_codes_find_nothing():
    assert Region.objects.with_code("am13").get().code == "AM13"
    for odd in ["", "AM", "AM999", "\x00", "AM13\x00", "x" * 500]:
        assert not Region.objects.with_code(odd).exists(), repr(odd)


def test_the_region_list_shows_all_35_regions_and_the_map(client):
    response = client.get(reverse("regions:list"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "<svg" in page
    for region in Region.objects.all():
        assert reverse("regions:detail", kwargs={"code": region.code}) in page


def test_a_region_page_lists_its_active_union_houses_only(client):
    UnionHouseFactory(name="Vakbondshuis Open")
    UnionHouseFactory(name="Vakbondshuis Dicht", is_active=False)
    page = client.get(reverse("regions:detail", kwargs={"code": "am13"})).content.decode()
    assert "Vakbondshuis Open" in page and "Vakbondshuis Dicht" not in page
    assert "Utrecht" in page


def test_an_unknown_region_is_404(client):
    assert client.get("/regios/AM99/").status_code == 404
    assert client.get("/regios/%00/").status_code == 404


def test_a_union_house_always_lies_in_the_region_of_its_municipality():
    house = UnionHouseFactory(municipality=Municipality.objects.get(code="GM0363"))
    assert house.region.code == "AM18"
    house.municipality = Municipality.objects.get(code="GM0344")
    house.save()
    assert UnionHouse.objects.get(pk=house.pk).region.code == "AM13"
