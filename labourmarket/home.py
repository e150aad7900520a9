"""Tiles this app adds to a role's home page (collected by core.registry.home_tiles)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from core.registry import Tile
from core.roles import Role


def tiles(user) -> list[Tile]:
    if user.role != Role.ADMIN:
        return []
    return [
        Tile(
            _("Arbeidsmarktcijfers"),
            _("Cijfers van CBS of UWV per regio en periode uploaden (CSV of Excel)."),
            reverse("labourmarket:upload"),
        )
    ]
