"""Portal-wide views: the home page of each role (health checks: fnvregio/health.py)."""

from __future__ import annotations

from django.db.models import Value, prefetch_related_objects
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from core.registry import home_tiles
from core.roles import Role
from members.models import Member, Sector
from pages import public as public_pages
from regions.models import Region, UnionHouse

HOME_TEMPLATES: dict[str, str] = {
    Role.MEMBER: "home/member.html",
    Role.CONSULTANT: "home/consultant.html",
    Role.ADVISER: "home/adviser.html",
    Role.REGIONAL_OFFICIAL: "home/regional_official.html",
    Role.COORDINATOR: "home/coordinator.html",
    Role.SECTOR_OFFICIAL: "home/sector_official.html",
    Role.LEGAL: "home/legal.html",
    Role.ADMIN: "home/admin.html",
}

# Home pages with "Jouw werkgebied" (templates/home/_staff_scope.html).
SHOWS_SCOPE = frozenset(HOME_TEMPLATES) - {Role.MEMBER, Role.LEGAL}


def home(request: HttpRequest) -> HttpResponse:
    """Anonymous visitors see the public landing page; everyone else their role's home page."""
    if not request.user.is_authenticated:
        # The front door: the services, "Ontslag? Wat nu?", the postcode search, the agenda.
        return render(request, "home/public.html", public_pages.front_door())
    user = request.user
    context: dict = {"member": None}
    if user.role == Role.MEMBER:
        # Loaded once with what the page and the tiles read of it (region, municipality);
        # assigning it fills user.member for the tile providers.
        member = Member.objects.select_related("region", "municipality").filter(user=user).first()
        if member is not None:
            user.member = member
        context["member"] = member
    elif user.role in SHOWS_SCOPE:
        context.update(_staff_scope(user))
        if user.role in (Role.REGIONAL_OFFICIAL, Role.COORDINATOR):
            # Several apps' tiles list the user's regions: read them once for all of them.
            prefetch_related_objects([user], "regions")
    context["tiles"] = home_tiles(user)
    return render(request, HOME_TEMPLATES[user.role], context)


def _staff_scope(user) -> dict[str, list]:
    """The user's regions, sectors and union houses ("Jouw werkgebied"), in one query."""
    regions = Region.objects.filter(staff=user).values_list(Value("region"), "name", "code")
    sectors = Sector.objects.filter(officials=user).values_list(Value("sector"), "name", Value(""))
    houses = UnionHouse.objects.filter(consultants=user).values_list(
        Value("house"), "name", Value("")
    )
    scope: dict[str, list] = {"regions": [], "sectors": [], "union_houses": []}
    rows = sorted(regions.order_by().union(sectors.order_by(), houses.order_by(), all=True))
    for kind, name, code in rows:
        if kind == "region":
            scope["regions"].append(Region(name=name, code=code))  # for its name and URL
        elif kind == "sector":
            scope["sectors"].append(name)
        else:
            scope["union_houses"].append(name)
    return scope
