"""Extension points that let apps contribute to shared pages without importing each other.

Apps depend in one direction (regions <- members <- audit <- loopbaan, trajectories, signals,
plans). The home page, a region's data panel and the demo seed need something from each app;
they collect it through the dotted paths listed in settings.FNV_* instead of imports.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class Tile:
    title: str
    description: str
    url: str
    badge: str = ""  # e.g. a count of waiting items


def home_tiles(user) -> list[Tile]:
    tiles: list[Tile] = []
    for path in settings.FNV_HOME_TILE_PROVIDERS:
        tiles.extend(import_string(path)(user))
    return tiles


def region_panel(region, *, since, until) -> dict:
    """A region's figures from every app, keyed by app label."""
    panel = {}
    for path in settings.FNV_REGION_PANEL_PROVIDERS:
        app_label = path.split(".")[0]
        panel[app_label] = import_string(path)(region, since=since, until=until)
    return panel


def run_demo_seeders(*, rng, fake) -> None:
    for path in settings.FNV_DEMO_SEEDERS:
        import_string(path)(rng=rng, fake=fake)
