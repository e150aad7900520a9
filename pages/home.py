"""Tiles this app adds to a role's home page (collected by core.registry.home_tiles)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from core.registry import Tile
from core.roles import Role


def tiles(user) -> list[Tile]:
    """Everyone logged in keeps a way to the public information; admins also edit it."""
    found = [
        Tile(
            _("Informatie en hulp"),
            _("Spreekuren, loopbaanafspraken, van werk naar werk, bijeenkomsten en ontslag"),
            reverse("pages:index"),
        )
    ]
    if user.role == Role.ADMIN:
        found.append(
            Tile(
                _("Informatiepagina's beheren"),
                _("De openbare pagina's bewerken, met voorbeeld en versies"),
                reverse("pages:manage"),
            )
        )
    return found
