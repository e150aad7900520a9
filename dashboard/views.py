"""The region dashboards: a region's figures for its regional officials and coordinators and the
admins, the national view of the 35 regions for admins, each as a page, a print view
(`?print=1`) and a CSV of exactly what the page shows. Aggregates only: no member, session or
signal is named, so no read of personal data is recorded.

The figures are those stored by dashboard.snapshots (computed at most FRESH_FOR ago, or newer
ones are asked for in the background); access is checked on every request before they are
read."""

from __future__ import annotations

import csv
from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from core.access import role_required
from core.figures import min_group_size
from core.roles import Role
from dashboard import snapshots
from dashboard.figures import DASHBOARD_ROLES, NationalDashboard, RegionDashboard, regions_for
from dashboard.tasks import ask_refresh
from members.http import AuthenticatedRequest
from regions.models import Region


@never_cache
@role_required(*DASHBOARD_ROLES)
def choose(request: AuthenticatedRequest) -> HttpResponse:
    """Your region's dashboard, or a choice when you have several (admins: all and national)."""
    regions = list(regions_for(request.user).order_by("name"))
    if len(regions) == 1 and request.user.role != Role.ADMIN:
        return redirect("dashboard:region", code=regions[0].code)
    return render(
        request,
        "dashboard/choose.html",
        {"regions": regions, "national": request.user.role == Role.ADMIN},
    )


def _is_print(request: AuthenticatedRequest) -> bool:
    return request.GET.get("print") == "1"


def _region_board(request: AuthenticatedRequest, code: str) -> tuple[RegionDashboard, bool]:
    """The region's stored figures, after the user's access to the region is checked (a 404
    otherwise); stale ones are served and new ones asked for."""
    region = get_object_or_404(regions_for(request.user).with_code(code))
    board, stale = snapshots.region_board(region)
    if stale:
        ask_refresh(snapshots.scope_of(region))
    return board, stale


def _national_board() -> tuple[NationalDashboard, bool]:
    board, stale = snapshots.national_board()
    if stale:
        ask_refresh(snapshots.NATIONAL)
    return board, stale


@never_cache
@role_required(*DASHBOARD_ROLES)
def region(request: AuthenticatedRequest, code: str) -> HttpResponse:
    board, stale = _region_board(request, code)
    return render(
        request,
        "dashboard/region.html",
        {
            "board": board,
            "region": board.region,
            "figures_key": snapshots.figures_key(snapshots.scope_of(board.region), board.now),
            "stale": stale,
            "can_refresh": request.user.role == Role.ADMIN,
            "printing": _is_print(request),
            "min_group_size": min_group_size(),
            "national_totals_only": request.user.role != Role.ADMIN,
        },
    )


@never_cache
@role_required(Role.ADMIN)
def national(request: AuthenticatedRequest) -> HttpResponse:
    board, stale = _national_board()
    return render(
        request,
        "dashboard/national.html",
        {
            "board": board,
            "figures_key": snapshots.figures_key(snapshots.NATIONAL, board.now),
            "stale": stale,
            "can_refresh": True,
            "printing": _is_print(request),
            "min_group_size": min_group_size(),
        },
    )


@require_POST
@role_required(Role.ADMIN)
def refresh(request: AuthenticatedRequest, code: str = "") -> HttpResponse:
    """An admin asks for new figures now: computed in the background (bulk queue)."""
    if code:
        region = get_object_or_404(Region.objects.with_code(code))
        ask_refresh(snapshots.scope_of(region), force=True)
        target = redirect("dashboard:region", code=region.code)
    else:
        ask_refresh(snapshots.NATIONAL, force=True)
        target = redirect("dashboard:national")
    messages.success(
        request,
        _(
            "De cijfers worden opnieuw berekend. Dat duurt bij veel leden een paar minuten; "
            "ververs daarna deze pagina."
        ),
    )
    return target


def _csv_response(filename: str) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")  # so Excel reads the accents
    return response


def _safe(value: object) -> str:
    """A cell as text; one that a spreadsheet would run as a formula gets a leading quote."""
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def write_region_csv(writer: Any, board: RegionDashboard, *, national_totals: bool = True) -> None:
    writer.writerow([_("Regio"), _("Onderdeel"), _("Gegeven"), _("Periode"), _("Waarde")])
    name = board.region.name
    period = f"{board.panel.since.isoformat()} - {board.panel.until.isoformat()}"
    for block in board.panel.figures.values():
        for label, value in block["figures"]:
            writer.writerow(
                [_safe(name), _safe(block["title"]), _safe(label), period, _safe(value)]
            )
    for label, value in board.municipalities:
        writer.writerow(
            [_safe(name), _("Actieve leden per gemeente"), _safe(label), "", _safe(value)]
        )
    for house in board.houses:
        for column, value in zip(board.house_columns, house["values"], strict=True):
            writer.writerow(
                [
                    _safe(name),
                    _("Afspraken per vestiging"),
                    _safe(house["house"]),
                    column,
                    _safe(value),
                ]
            )
    for trend in board.trends:
        for month, value in zip(board.months, trend.values, strict=True):
            writer.writerow(
                [_safe(name), _safe(trend.section), _safe(trend.title), month, _safe(value)]
            )
        writer.writerow(
            [
                _safe(name),
                _safe(trend.section),
                _safe(trend.title),
                _("12 maanden"),
                _safe(trend.total),
            ]
        )
        if national_totals:
            for month, value in zip(board.months, trend.national_values, strict=True):
                writer.writerow(
                    [_("Landelijk"), _safe(trend.section), _safe(trend.title), month, _safe(value)]
                )


@never_cache
@role_required(*DASHBOARD_ROLES)
def region_csv(request: AuthenticatedRequest, code: str) -> HttpResponse:
    board, _stale = _region_board(request, code)
    stamp = timezone.localdate(board.now).isoformat()
    response = _csv_response(f"dashboard-{board.region.code}-{stamp}.csv")
    writer = csv.writer(response, delimiter=";")
    write_region_csv(writer, board)
    return response


def write_national_csv(writer: Any, board: NationalDashboard) -> None:
    writer.writerow([_("Regio"), _("Onderdeel"), _("Gegeven"), _("Periode"), _("Waarde")])
    for trend in [*board.trends, *board.extra]:
        for month, value in zip(board.months, trend.values, strict=True):
            writer.writerow(
                [_("Landelijk"), _safe(trend.section), _safe(trend.title), month, _safe(value)]
            )
    for region, values in board.region_rows:
        for trend, value in zip(board.trends, values, strict=True):
            writer.writerow(
                [
                    _safe(region.name),
                    _safe(trend.section),
                    _safe(trend.title),
                    _("12 maanden"),
                    _safe(value),
                ]
            )


@never_cache
@role_required(Role.ADMIN)
def national_csv(request: AuthenticatedRequest) -> HttpResponse:
    board, _stale = _national_board()
    stamp = timezone.localdate(board.now).isoformat()
    response = _csv_response(f"dashboard-landelijk-{stamp}.csv")
    writer = csv.writer(response, delimiter=";")
    write_national_csv(writer, board)
    return response
