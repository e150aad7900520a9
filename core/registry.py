"""The one way an app contributes to the portal's shared parts without other apps importing it.

Each app declares, in its `apps.py`, what it contributes: its AppConfig is a `PortalAppConfig`
whose `contributes` names (as dotted paths, so declaring imports nothing) its home-page tiles,
its figures for a region's data panel, its demo data, its Celery beat entries, its retention
and erasure handlers, and the function that connects its receivers of events from other apps.
The shared pages and tasks collect from here; nothing in the settings lists the apps again.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from importlib import import_module
from typing import Any

from django.apps import AppConfig, apps
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class Tile:
    title: str
    description: str
    url: str
    badge: str = ""  # e.g. a count of waiting items


@dataclass(frozen=True)
class Fact:
    """One line on a public page about a place: "Volgende loopbaanafspraak vrij" and its value."""

    label: str
    value: str
    url: str = ""


@dataclass(frozen=True)
class AgendaItem:
    """An upcoming event anyone may see (an information meeting), for the public pages."""

    title: str
    starts_at: dt.datetime
    place: str  # a union house's name and city, or "Online"
    url: str
    region_code: str = ""
    house_id: int | None = None


@dataclass(frozen=True)
class Trend:
    """One monthly series for the region dashboards: a count per month for every region.

    `per_region` maps a region's pk to its counts, one per month of the `months` asked for (in
    that order); a region without any count may be left out (all zeros). The dashboard sums
    the regions for the national line. `protect` False: the counts are of things, not people
    (plan versions), and the minimum-group rule does not apply."""

    key: str  # unique over the portal: "members.joined"
    title: str
    section: str  # the heading it is shown under: "Leden"
    per_region: dict[int, list[int]]
    protect: bool = True


@dataclass(frozen=True)
class Contributions:
    """Dotted paths to what an app contributes; an empty string: nothing of that kind."""

    home_tiles: str = ""  # (user) -> list[Tile]
    region_panel: str = ""  # (region, *, since, until) -> dict of figures
    demo_seed: str = ""  # (*, rng, fake) -> None; run after the members' demo data
    beat_schedule: str = ""  # a dict of Celery beat entries (plain data, read by the settings)
    retention: str = ""  # (*, now, days) -> dict[str, int]; run nightly
    erasure: str = ""  # (*, member) -> dict[str, int]; run when a member is erased
    receivers: str = ""  # () -> None; connects the app's receivers when Django is ready
    house_facts: str = ""  # (house, *, now) -> list[Fact]; on a union house's public page
    public_agenda: str = ""  # (*, region, house, now, limit) -> list[AgendaItem]
    region_trends: str = ""  # (regions, *, months) -> list of trend series; see the dashboard
    signal_actions: str = ""  # (signal, *, user) -> list[Tile]; offered on a signal's page


class PortalAppConfig(AppConfig):
    """An app of the portal. `ready()` connects the receivers it declares."""

    contributes = Contributions()

    def ready(self) -> None:
        if self.contributes.receivers:
            import_string(self.contributes.receivers)()


def _declared(kind: str) -> list[tuple[str, Callable[..., Any]]]:
    """(app label, callable) for every installed app that contributes `kind`, in the order of
    INSTALLED_APPS."""
    found = []
    for config in apps.get_app_configs():
        if isinstance(config, PortalAppConfig):
            path = getattr(config.contributes, kind)
            if path:
                found.append((config.label, import_string(path)))
    return found


def home_tiles(user: Any) -> list[Tile]:
    tiles: list[Tile] = []
    for _label, provider in _declared("home_tiles"):
        tiles.extend(provider(user))
    return tiles


def region_panel_providers() -> list[tuple[str, Callable[..., dict]]]:
    return _declared("region_panel")


def region_panel(region: Any, *, since: dt.date, until: dt.date) -> dict[str, dict]:
    """A region's figures from every app, keyed by app label."""
    return {
        label: provider(region, since=since, until=until)
        for label, provider in region_panel_providers()
    }


def house_facts(house: Any, *, now: dt.datetime) -> list[Fact]:
    """What the apps say about a union house (the next free career appointment, the next
    meeting there), for its public page."""
    facts: list[Fact] = []
    for _label, provider in _declared("house_facts"):
        facts.extend(provider(house, now=now))
    return facts


def public_agenda(
    *, region: Any = None, house: Any = None, now: dt.datetime, limit: int = 5
) -> list[AgendaItem]:
    """Upcoming public events from every app, soonest first; `region`/`house` None: all."""
    items: list[AgendaItem] = []
    for _label, provider in _declared("public_agenda"):
        items.extend(provider(region=region, house=house, now=now, limit=limit))
    return sorted(items, key=lambda item: item.starts_at)[:limit]


def region_trends(regions: Any, *, months: list[dt.date]) -> list[Trend]:
    """Monthly series from every app for the dashboards. `regions`: the regions to count (a
    queryset or list of Region), or None for all of them; `months`: the first days of the
    months, oldest first. Each provider aggregates in SQL per region and month."""
    trends: list[Trend] = []
    for _label, provider in _declared("region_trends"):
        trends.extend(provider(regions, months=months))
    return trends


def signal_actions(signal: Any, *, user: Any) -> list[Tile]:
    """What other apps offer on a signal's page for this user (open or link a collective case,
    and what became of it), as tiles: a title, a line of text, a link."""
    tiles: list[Tile] = []
    for _label, provider in _declared("signal_actions"):
        tiles.extend(provider(signal, user=user))
    return tiles


def run_demo_seeders(*, rng: random.Random, fake: Any) -> None:
    for _label, seed in _declared("demo_seed"):
        seed(rng=rng, fake=fake)


def apply_retention(*, now: dt.datetime, days: dict[str, int]) -> dict[str, int]:
    report: dict[str, int] = {}
    for _label, handler in _declared("retention"):
        report.update(handler(now=now, days=days))
    return report


def erase_member(*, member: Any) -> dict[str, int]:
    report: dict[str, int] = {}
    for _label, handler in _declared("erasure"):
        report.update(handler(member=member))
    return report


def beat_schedule(app_names: Iterable[str]) -> dict[str, dict]:
    """The beat entries the apps declare, for the settings: read before Django is set up, from
    each app's `apps.py` (which imports no models), not from the app registry."""
    schedule: dict[str, dict] = {}
    for name in app_names:
        try:
            module = import_module(f"{name}.apps")
        except ModuleNotFoundError:
            continue
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, PortalAppConfig)
                and value is not PortalAppConfig
                and value.contributes.beat_schedule
            ):
                schedule.update(import_string(value.contributes.beat_schedule))
    return schedule
