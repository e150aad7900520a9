"""Tiles this app adds to a role's home page (collected by core.registry.home_tiles)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from core.registry import Tile
from core.roles import Role, acting_as
from meetings.models import Meeting


def tiles(user) -> list[Tile]:
    if acting_as(user, Role.COORDINATOR, Role.ADMIN):
        upcoming = Meeting.objects.planned_by(user).upcoming().filter(cancelled_at__isnull=True)
        count = upcoming.count()
        return [
            Tile(
                _("Informatiebijeenkomsten"),
                _("Plannen, aanmeldingen bekijken en aanwezigheid bijhouden."),
                reverse("meetings:planning"),
                badge=str(count) if count else "",
            )
        ]
    if acting_as(user, Role.MEMBER):
        return [
            Tile(
                _("Informatiebijeenkomsten"),
                _("Over ontslag, je loopbaan, je cao. Aanmelden met één klik."),
                reverse("meetings:list"),
            )
        ]
    return []
