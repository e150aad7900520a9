"""Portal-wide views: the home page of each role, and the health check."""

from __future__ import annotations

from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from core.registry import home_tiles
from core.roles import Role
from fnvregio.tasks import HEARTBEAT_KEY
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


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness for docker-compose and the dev runner: database reachable, last heartbeat."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok", "last_heartbeat": cache.get(HEARTBEAT_KEY)})
