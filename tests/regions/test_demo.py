"""The regions' demo data: two regions with houses, hours and a Christmas closure."""

from __future__ import annotations

import random

import pytest
from django.utils import timezone

from regions.demo import HOUSES, seed
from regions.hours import houses_near, next_consultation_hours
from regions.models import HoursKind, HouseClosure, Municipality, UnionHouse

pytestmark = pytest.mark.django_db


def _seed():
    seed(rng=random.Random(1), fake=None)


def _counts():
    return [
        UnionHouse.objects.count(),
        HouseClosure.objects.count(),
        *(
            (house.opening_hours.count(), house.consultation_hours.count())
            for house in UnionHouse.objects.order_by("pk")
        ),
    ]


def test_the_demo_gives_two_regions_houses_with_hours_and_a_christmas_closure():
    UnionHouse.objects.create(  # as members/demo.py makes it, with a generated street
        name="Vakbondshuis Utrecht",
        city="Utrecht",
        street="Willemsstraat",
        municipality=Municipality.objects.get(code="GM0344"),
        is_demo=True,
    )
    _seed()
    utrecht = UnionHouse.objects.get(name="Vakbondshuis Utrecht")
    assert utrecht.street == "Solidariteitsplein" and utrecht.phone
    region, houses = houses_near("3511 AB")
    assert region.code == "AM13" and len(houses) == 3 and houses[0] == utrecht
    region, houses = houses_near("1012")
    assert region.code == "AM18" and len(houses) >= 2
    christmas = HouseClosure.objects.get(house=utrecht)
    assert (christmas.starts_on.month, christmas.starts_on.day) == (12, 24)
    assert christmas.ends_on >= timezone.localdate()
    for kind in HoursKind:
        (found,) = next_consultation_hours(utrecht, kind=kind, after=timezone.now())
        assert not (christmas.starts_on <= found.starts_at.date() <= christmas.ends_on)


def test_seeding_twice_changes_nothing_and_real_houses_are_left_alone():
    real = UnionHouse.objects.create(
        name="Vakbondshuis Zeist",
        city="Zeist",
        street="Echte Straat",
        municipality=Municipality.objects.get(code="GM0355"),
    )
    _seed()
    before = _counts()
    _seed()
    assert _counts() == before and before[0] == len(HOUSES)
    real.refresh_from_db()
    assert real.street == "Echte Straat" and not real.opening_hours.exists()
    assert not real.closures.exists()
