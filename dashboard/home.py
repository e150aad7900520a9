"""Tiles this app adds to a role's home page (collected by core.registry.home_tiles)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from core.registry import Tile
from core.roles import Role


def tiles(user) -> list[Tile]:
    if user.role == Role.ADMIN:
        return [
            Tile(
                _("Regiodashboards"),
                _("De cijfers van elke regio en het landelijk overzicht van de 35 regio's."),
                reverse("dashboard:choose"),
            )
        ]
    if user.role not in (Role.REGIONAL_OFFICIAL, Role.COORDINATOR):
        return []
    return [
        Tile(
            _("Dashboard %(region)s") % {"region": region.name},
            _("Leden, spreekuren, signalen, afspraken, trajecten en het regioplan in één blik."),
            reverse("dashboard:region", kwargs={"code": region.code}),
        )
        for region in user.regions.all()  # ordered by name (Region.Meta)
    ]
