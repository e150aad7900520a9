"""Public pages: the 35 regions on a map, a page per region, the union houses and the search
for the houses near a postcode. Reference data and opening hours only: no personal data."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone

from core import registry
from regions import hours
from regions.forms import PostcodeForm
from regions.map import build_map
from regions.models import HoursKind, Region, UnionHouse


@lru_cache(maxsize=1)
def _region_map() -> dict:
    regions = [
        {
            "code": region.code,
            "name": region.name,
            "boundary": region.boundary,
            "url": reverse("regions:detail", kwargs={"code": region.code}),
        }
        for region in Region.objects.with_boundary().order_by("code")
    ]
    return build_map(regions)


def region_list(request: HttpRequest) -> HttpResponse:
    regions = Region.objects.annotate(
        municipality_count=Count("municipalities", distinct=True),
        union_house_count=Count(
            "union_houses", filter=Q(union_houses__is_active=True), distinct=True
        ),
    ).order_by("name")
    return render(request, "regions/region_list.html", {"regions": regions, "map": _region_map()})


def region_detail(request: HttpRequest, code: str) -> HttpResponse:
    region = get_object_or_404(Region.objects.with_boundary().with_code(code))
    context = {
        "region": region,
        "municipalities": region.municipalities.order_by("name"),
        "union_houses": UnionHouse.objects.active().filter(region=region),
        "map": build_map(
            [
                {
                    "code": region.code,
                    "name": region.name,
                    "boundary": region.boundary,
                    "url": region.get_absolute_url(),
                }
            ]
        ),
    }
    return render(request, "regions/region_detail.html", context)


# --- union houses ---------------------------------------------------------------------------


@dataclass(frozen=True)
class KindHours:
    kind: str
    label: str
    days: list[hours.DayHours]
    next: list[hours.Occurrence]


@dataclass(frozen=True)
class HouseCard:
    """A house in the search results: where it is and what comes next there."""

    house: UnionHouse
    distance_km: int | None
    next_hours: list[KindHours]
    facts: list[registry.Fact]


def _kind_hours(house: UnionHouse, *, now: dt.datetime, count: int, days: bool) -> list[KindHours]:
    return [
        KindHours(
            kind.value,
            str(kind.label),
            hours.consultation_table(house, kind=kind.value) if days else [],
            hours.next_consultation_hours(house, kind=kind.value, after=now, limit=count),
        )
        for kind in HoursKind
    ]


def house_list(request: HttpRequest) -> HttpResponse:
    """Every public union house by region, or, given a postcode, the houses of its region
    nearest first with the next consultation hour of each kind and the apps' facts."""
    form = PostcodeForm(request.GET or None)
    region: Region | None = None
    cards: list[HouseCard] = []
    searched = False
    if form.is_bound and form.is_valid() and form.cleaned_data["postcode"]:
        try:
            region, near = hours.nearby_houses(form.cleaned_data["postcode"])
        except ValidationError as error:
            form.add_error("postcode", error)
        else:
            searched = True
            now = timezone.now()
            cards = [
                HouseCard(
                    item.house,
                    item.distance_km,
                    _kind_hours(item.house, now=now, count=1, days=False),
                    registry.house_facts(item.house, now=now),
                )
                for item in near
            ]
    context = {
        "form": form,
        "searched": searched,
        "region": region,
        "cards": cards,
        "in_region": bool(cards) and region is not None and cards[0].house.region_id == region.pk,
        "all_houses": (
            []
            if searched
            else UnionHouse.objects.public()
            .select_related("region")
            .order_by("region__name", "name")
        ),
    }
    return render(request, "regions/house_list.html", context)


def house_detail(request: HttpRequest, slug: str) -> HttpResponse:
    house = get_object_or_404(UnionHouse.objects.public().select_related("region"), slug=slug)
    now = timezone.now()
    context = {
        "house": house,
        "opening": hours.opening_table(house),
        "has_opening_hours": house.opening_hours.exists(),
        "kinds": _kind_hours(house, now=now, count=3, days=True),
        "closures": hours.coming_closures(house, today=timezone.localdate()),
        "facts": registry.house_facts(house, now=now),
        "agenda": registry.public_agenda(house=house, now=now, limit=5),
    }
    return render(request, "regions/house_detail.html", context)
