"""Tiles this app adds to a role's home page (collected by fnvregio.registry.home_tiles)."""

from __future__ import annotations

from fnvregio.registry import Tile


def tiles(user) -> list[Tile]:
    return []
