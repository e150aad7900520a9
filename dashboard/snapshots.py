"""The dashboards' figures as last computed, so that a page is a few small queries at any size.

Computing a dashboard reads every app's aggregates over 12 months (dashboard.figures): seconds
at a million members. So the figures a page shows are stored, once computed, in
`DashboardSnapshot` (one row per region, or the national view, and language) and the page
reads that row:

- **what is stored** is exactly what the page shows, after the minimum-group rule: the same
  dashboard for everyone who may see the region, no person's data. Access is checked live
  before a row is read (dashboard.views), and the regioplan of the year is read live beside
  it; only the figures come from the row;
- **when it is computed**: on the first request (nothing stored yet: computed then and there
  and stored), nightly for every region (dashboard.tasks.refresh_dashboards, bulk queue), and
  in the background when a page finds its row older than FRESH_FOR or older than the last
  member import, or when an admin asks for it. The page says from when its figures are
  ("Opgehaald op …") and that newer ones are on their way;
- **the same source**: a row is `figures.region_dashboard(region, now=taken_at)` written down,
  whose panel is `plans.services.data_panel`, the function a regioplan freezes; so a plan
  frozen at the moment of a row holds the same figures.

A row made by another version of this module or under another minimum group size is not used
(FORMAT, `min`), but computed again.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

from django.utils import timezone, translation

from core.figures import Cell, min_group_size
from core.trends import month_starts
from dashboard.figures import (
    NationalDashboard,
    RegionDashboard,
    Shared,
    TrendView,
    national_dashboard,
    plan_of_year,
    region_dashboard,
    shared_figures,
    short_month_labels,
)
from dashboard.models import DashboardSnapshot
from members.models import ImportStatus, MemberImport
from plans.services import DataPanel
from regions.models import Region

FORMAT = 2
# A page whose figures are older than this has them computed again in the background.
FRESH_FOR = dt.timedelta(minutes=10)
NATIONAL = "national"


def scope_of(region: Region | None) -> str:
    return NATIONAL if region is None else f"region:{region.pk}"


def figures_key(scope: str, taken_at: dt.datetime) -> str:
    """The key of the page's drawn figures (the templates' `{% cache %}` fragment): one per
    scope, language and computation, so new figures are drawn anew and never for another
    region or language."""
    return f"{scope}:{translation.get_language()}:{taken_at.isoformat()}"


# --- to and from JSON ------------------------------------------------------------------------


def _cells_json(cells: list[Cell]) -> list[list[Any]]:
    return [[cell.label, cell.count] for cell in cells]


def _cells(data: list[list[Any]]) -> list[Cell]:
    return [Cell(label, count) for label, count in data]


def _trend_json(view: TrendView) -> dict[str, Any]:
    return {
        "key": view.key,
        "title": view.title,
        "section": view.section,
        "cells": _cells_json(view.cells),
        "total": view.total,
        "national_cells": _cells_json(view.national_cells),
        "national_total": view.national_total,
        "share": view.share,
        "floor": view.floor,
    }


def _trend(data: dict[str, Any], short: list[str]) -> TrendView:
    cells = _cells(data["cells"])
    return TrendView(
        key=data["key"],
        title=data["title"],
        section=data["section"],
        cells=cells,
        total=data["total"],
        national_cells=_cells(data["national_cells"]),
        national_total=data["national_total"],
        share=data["share"],
        short_labels=short,
        floor=data["floor"],
    )


def _months_json(now: dt.datetime) -> list[str]:
    return short_month_labels(month_starts(timezone.localdate(now)))


def region_json(board: RegionDashboard) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "min": min_group_size(),
        "now": board.now.isoformat(),
        "panel": {
            # as pairs: jsonb keeps no order of keys, and the blocks come in the apps' order
            "figures": list(board.panel.figures.items()),
            "taken_at": board.panel.taken_at.isoformat(),
            "since": board.panel.since.isoformat(),
            "until": board.panel.until.isoformat(),
        },
        "months": board.months,
        "short": _months_json(board.now),
        "trends": [_trend_json(t) for t in board.trends],
        "municipalities": [list(row) for row in board.municipalities],
        "houses": board.houses,
        "house_columns": board.house_columns,
        "referral_pickup": board.referral_pickup,
    }


def region_from_json(data: dict[str, Any], region: Region) -> RegionDashboard:
    now = dt.datetime.fromisoformat(data["now"])
    panel = data["panel"]
    return RegionDashboard(
        region=region,
        now=now,
        panel=DataPanel(
            figures=dict(panel["figures"]),
            taken_at=dt.datetime.fromisoformat(panel["taken_at"]),
            since=dt.date.fromisoformat(panel["since"]),
            until=dt.date.fromisoformat(panel["until"]),
        ),
        plan=None,  # read live by the caller
        months=data["months"],
        trends=[_trend(t, data["short"]) for t in data["trends"]],
        municipalities=[(name, value) for name, value in data["municipalities"]],
        houses=data["houses"],
        house_columns=data["house_columns"],
        referral_pickup=data["referral_pickup"],
    )


def national_json(board: NationalDashboard) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "min": min_group_size(),
        "now": board.now.isoformat(),
        "months": board.months,
        "short": _months_json(board.now),
        "trends": [_trend_json(t) for t in board.trends],
        "extra": [_trend_json(t) for t in board.extra],
        "region_rows": [[region.pk, values] for region, values in board.region_rows],
    }


def national_from_json(data: dict[str, Any]) -> NationalDashboard:
    regions = {r.pk: r for r in Region.objects.order_by("code")}
    rows = [(regions[pk], values) for pk, values in data["region_rows"] if pk in regions]
    return NationalDashboard(
        now=dt.datetime.fromisoformat(data["now"]),
        months=data["months"],
        trends=[_trend(t, data["short"]) for t in data["trends"]],
        regions=[region for region, _values in rows],
        region_rows=rows,
        extra=[_trend(t, data["short"]) for t in data["extra"]],
    )


# --- storing and reading ---------------------------------------------------------------------


def _store(scope: str, taken_at: dt.datetime, figures: dict[str, Any]) -> None:
    """One statement, safe when two requests store the same scope at once (the later wins)."""
    DashboardSnapshot.objects.bulk_create(
        [
            DashboardSnapshot(
                scope=scope,
                language=translation.get_language() or "nl",
                taken_at=taken_at,
                figures=figures,
            )
        ],
        update_conflicts=True,
        unique_fields=["scope", "language"],
        update_fields=["taken_at", "figures"],
    )


def refresh_region(region: Region, *, shared: Shared | None = None) -> RegionDashboard:
    """Compute the region's dashboard now, in the active language, and store it."""
    now = timezone.now() if shared is None else shared.now
    board = region_dashboard(region, now=now, shared=shared)
    _store(scope_of(region), board.now, region_json(board))
    return board


def refresh_national(*, shared: Shared | None = None) -> NationalDashboard:
    now = timezone.now() if shared is None else shared.now
    board = national_dashboard(now=now, shared=shared)
    _store(NATIONAL, board.now, national_json(board))
    return board


def refresh(scope: str) -> None:
    """Compute and store one scope ("national" or "region:<pk>") in the active language."""
    if scope == NATIONAL:
        refresh_national()
        return
    region = Region.objects.filter(pk=int(scope.removeprefix("region:"))).first()
    if region is not None:
        refresh_region(region)


def refresh_all(languages: list[str]) -> int:
    """Every region's dashboard and the national view, in each language: the all-region
    figures once per language, then each region's own. Returns the number stored."""
    stored = 0
    regions = list(Region.objects.order_by("code"))
    for language in languages:
        with translation.override(language):
            shared = shared_figures(timezone.now())
            refresh_national(shared=shared)
            for region in regions:
                refresh_region(region, shared=shared)
            stored += len(regions) + 1
    return stored


def _usable(row: DashboardSnapshot | None) -> dict[str, Any] | None:
    if row is None:
        return None
    data = row.figures
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        return None
    if data.get("min") != min_group_size():
        return None
    return data


def _is_stale(row: DashboardSnapshot, now: dt.datetime) -> bool:
    """Older than FRESH_FOR, or taken before the last member import finished."""
    if row.taken_at < now - FRESH_FOR:
        return True
    return MemberImport.objects.filter(
        status=ImportStatus.DONE, dry_run=False, finished_at__gt=row.taken_at
    ).exists()


def _row(scope: str) -> DashboardSnapshot | None:
    language = translation.get_language() or "nl"
    return DashboardSnapshot.objects.filter(scope=scope, language=language).first()


def region_board(region: Region) -> tuple[RegionDashboard, bool]:
    """The region's dashboard as stored (computed and stored now when there is none), with the
    regioplan of the year read live; and whether newer figures should be computed. The caller
    has checked that the user may see `region`."""
    now = timezone.now()
    row = _row(scope_of(region))
    data = _usable(row)
    if row is None or data is None:
        return refresh_region(region), False
    board = region_from_json(data, region)
    return replace(board, plan=plan_of_year(region, now)), _is_stale(row, now)


def national_board() -> tuple[NationalDashboard, bool]:
    now = timezone.now()
    row = _row(NATIONAL)
    data = _usable(row)
    if row is None or data is None:
        return refresh_national(), False
    return national_from_json(data), _is_stale(row, now)
