"""Portal-wide views: the home page of each role (health checks: fnvregio/health.py)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from core.registry import home_tiles
from core.roles import Role
from pages import public as public_pages

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


def home(request: HttpRequest) -> HttpResponse:
    """Anonymous visitors see the public landing page; everyone else their role's home page."""
    if not request.user.is_authenticated:
        # The front door: the services, "Ontslag? Wat nu?", the postcode search, the agenda.
        return render(request, "home/public.html", public_pages.front_door())
    user = request.user
    context = {
        "regions": user.regions.all(),
        "sectors": user.sectors.all(),
        "union_houses": user.union_houses.all(),
        "member": getattr(user, "member", None) if user.role == Role.MEMBER else None,
        "tiles": home_tiles(user),
    }
    return render(request, HOME_TEMPLATES[user.role], context)
