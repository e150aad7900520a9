"""Public pages: the 35 regions on a map, and a page per region."""

from __future__ import annotations

from functools import lru_cache

from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from regions.map import build_map
from regions.models import Region, UnionHouse


@lru_cache(maxsize=1)
def _region_map() -> dict:
    regions = [
        {
            "code": region.code,
            "name": region.name,
            "boundary": region.boundary,
            "url": reverse("regions:detail", kwargs={"code": region.code}),
        }
        for region in Region.objects.order_by("code")
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
    region = get_object_or_404(Region.objects.with_code(code))
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
