"""Tiles this app adds to a role's home page (collected by fnvregio.registry.home_tiles)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from fnvregio.registry import Tile
from members.models import Role


def tiles(user) -> list[Tile]:
    result = []
    if user.role == Role.ADMIN:
        result.append(
            Tile(
                _("Beheer"),
                _("Gebruikers, vakbondshuizen, sectoren en werkgevers"),
                reverse("admin:index"),
            )
        )
    return result
