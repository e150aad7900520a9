"""What a region dashboard and the national view show, built once for the page, the CSV and the
print view (so the three can never differ).

Two sources, both collected through core.registry so that an app adds its figures without this
module knowing it:

- the current figures: `plans.services.data_panel`, the very function whose result a regioplan
  freezes when it is submitted (core.registry.region_panel over the same period), so a plan's
  frozen figures equal the dashboard's on that day;
- the trends: core.registry.region_trends, one SQL aggregate per series over every region and
  the last 12 months, which gives the region's line and the national line in one query.

The functions here compute a dashboard fresh from the database (seconds at a million members);
the pages show it as stored by dashboard.snapshots, which calls them.

Every count shown passes core.figures: a month's count is a part of the 12 months' total (so a
small month is hidden with complementary suppression, like any breakdown), the national line
likewise, the members per municipality as a breakdown of the active members.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from core import registry
from core.charts import Chart, bar_chart
from core.figures import Cell, breakdown, hidden_text, min_group_size, shown, suppress
from core.roles import Role
from core.trends import month_starts, national, next_month, only
from loopbaan.trends import per_union_house
from meetings import figures as meeting_figures
from members.trends import active_by_municipality
from plans.models import RegionPlan
from plans.services import DataPanel, data_panel
from referrals import figures as referral_figures
from regions.models import Region, RegionQuerySet

DASHBOARD_ROLES = (Role.REGIONAL_OFFICIAL, Role.COORDINATOR, Role.ADMIN)


def regions_for(user: Any) -> RegionQuerySet:
    """The regions whose dashboard `user` may see: an admin all 35, a regional official or a
    coordinator their own; anybody else none."""
    if user.role == Role.ADMIN:
        return Region.objects.all()
    if user.role in (Role.REGIONAL_OFFICIAL, Role.COORDINATOR):
        return Region.objects.filter(pk__in=user.regions.values("pk"))
    return Region.objects.none()


def _value(cell: Cell) -> int | str:
    return hidden_text() if cell.count is None else cell.count


@dataclass(frozen=True)
class TrendView:
    key: str
    title: str
    section: str
    cells: list[Cell]  # the region's months (or the nation's on the national view)
    total: int | str
    national_cells: list[Cell]
    national_total: int | str
    share: str  # the region's part of the national total, "" when not shown
    short_labels: list[str]  # the months as the chart names them
    floor: int = 0  # the chart's floor: the minimum group for a protected series, else 0

    @cached_property
    def chart(self) -> Chart:
        """Drawn when a page asks for it (not when its drawing is stored already)."""
        return bar_chart(self.cells, labels=self.short_labels, floor=self.floor)

    @property
    def values(self) -> list[int | str]:
        return [_value(c) for c in self.cells]

    @property
    def national_values(self) -> list[int | str]:
        return [_value(c) for c in self.national_cells]


def _cells(labels: list[str], counts: list[int], *, protect: bool) -> tuple[list[Cell], int | str]:
    """The months of a series as cells and its total, protected when the series counts people:
    the months are the parts of the total, so a small month is hidden and so is another."""
    if not protect:
        return [Cell(label, n) for label, n in zip(labels, counts, strict=True)], sum(counts)
    items = list(zip(labels, counts, strict=True))
    return suppress(items), shown(sum(counts))


def _share(part: int | str, whole: int | str) -> str:
    if isinstance(part, int) and isinstance(whole, int) and whole:
        return formats.number_format(100 * part / whole, 1) + "%"
    return ""


def month_labels(months: list[dt.date]) -> list[str]:
    return [formats.date_format(m, "M Y") for m in months]


def short_month_labels(months: list[dt.date]) -> list[str]:
    return [formats.date_format(m, "M") for m in months]


def trend_views(
    trends: list[registry.Trend], months: list[dt.date], region_ids: list[int] | None
) -> list[TrendView]:
    """Each series as the region's line (or the nation's when `region_ids` is None) beside the
    national line, with its chart."""
    labels = month_labels(months)
    short = short_month_labels(months)
    floor = min_group_size()
    views = []
    for trend in trends:
        nation = national(trend.per_region, len(months))
        own = nation if region_ids is None else only(trend.per_region, region_ids, len(months))
        cells, total = _cells(labels, own, protect=trend.protect)
        national_cells, national_total = _cells(labels, nation, protect=trend.protect)
        views.append(
            TrendView(
                key=trend.key,
                title=trend.title,
                section=trend.section,
                cells=cells,
                total=total,
                national_cells=national_cells,
                national_total=national_total,
                share="" if region_ids is None else _share(total, national_total),
                short_labels=short,
                floor=floor if trend.protect else 0,
            )
        )
    return views


def sections(views: list[TrendView]) -> list[tuple[str, list[TrendView]]]:
    grouped: dict[str, list[TrendView]] = {}
    for view in views:
        grouped.setdefault(view.section, []).append(view)
    return list(grouped.items())


def municipality_rows(region: Region) -> list[tuple[str, int | str]]:
    """Active members per municipality: a municipality below the minimum is counted with the
    other small ones, and the breakdown of the active members is protected as a whole."""
    minimum = min_group_size()
    rows = active_by_municipality(region)
    active = sum(n for _name, n in rows)
    if active < minimum:
        return []
    items, rest = [], 0
    for name, n in rows:
        if n >= minimum:
            items.append((name, n))
        else:
            rest += n
    if rest:
        items.append((_("Overige gemeenten"), rest))
    return breakdown(items, total=active)


def house_rows(region: Region, *, since: dt.datetime, until: dt.datetime) -> list[dict]:
    """Per union house: the appointments planned in the period as a breakdown (held, not
    attended, cancelled, still booked) of their total, and the share that took place."""
    rows = []
    for house in per_union_house(region, since=since, until=until):
        parts = [
            (_("gehouden"), house["held"]),
            (_("niet verschenen"), house["no_show"]),
            (_("geannuleerd"), house["cancelled"]),
            (_("nog gepland"), house["booked"]),
        ]
        total = sum(n for _label, n in parts)
        cells = suppress(parts, total=total)
        held, no_show = cells[0].count, cells[1].count
        attended = ""
        if held is not None and no_show is not None and held + no_show:
            attended = _share(held, held + no_show)
        rows.append(
            {
                "house": house["house"],
                "total": shown(total),
                "values": [_value(c) for c in cells],
                "attended": attended,
            }
        )
    return rows


OTHERS = -1  # the key of "every other region" in the trends below


def _split(own: list[int], nation: list[int]) -> dict[int, list[int]]:
    return {0: own, OTHERS: [n - o for n, o in zip(nation, own, strict=True)]}


@dataclass(frozen=True)
class Shared:
    """What every dashboard reads over all regions at once: the registry's trends and the
    meetings' and referrals' national months. A refresh of every dashboard computes it once."""

    now: dt.datetime
    months: list[dt.date]
    trends: list[registry.Trend]
    meetings_all: list[dict]
    referrals_all: list[referral_figures.Month]


def shared_figures(now: dt.datetime) -> Shared:
    months = month_starts(timezone.localdate(now))
    return Shared(
        now=now,
        months=months,
        trends=registry.region_trends(None, months=months),
        meetings_all=meeting_figures.monthly(None, months[0], len(months)),
        referrals_all=referral_figures.monthly(None, months[0], len(months)),
    )


def meeting_and_referral_trends(
    region: Region | None, months: list[dt.date], *, shared: Shared | None = None
) -> tuple[list[registry.Trend], list[str]]:
    """The meetings' and referrals' months (meetings.figures.monthly, referrals.figures.monthly),
    which count a set of regions at once rather than per region: once for the region and once
    for the nation, as trends keyed 0 (the region) and OTHERS (the rest). Also the median hours
    until a referral was picked up, per month, shown only for a month with at least the minimum
    number of referrals accepted."""
    count = len(months)
    if shared is not None and shared.months == months:
        meetings_all, referrals_all = shared.meetings_all, shared.referrals_all
    else:
        meetings_all = meeting_figures.monthly(None, months[0], count)
        referrals_all = referral_figures.monthly(None, months[0], count)
    if region is None:  # the national view: the nation is "the region", nobody else
        meetings_own, referrals_own = meetings_all, referrals_all
    else:
        meetings_own = meeting_figures.monthly([region.pk], months[0], count)
        referrals_own = referral_figures.monthly([region.pk], months[0], count)
    meetings_title, referrals_title = _("Informatiebijeenkomsten"), _("Doorverwijzingen")
    trends = [
        registry.Trend(
            "meetings.held",
            _("Bijeenkomsten gehouden per maand"),
            meetings_title,
            _split([m["meetings"] for m in meetings_own], [m["meetings"] for m in meetings_all]),
            protect=False,
        ),
        registry.Trend(
            "meetings.registrations",
            _("Aanmeldingen voor bijeenkomsten per maand"),
            meetings_title,
            _split(
                [m["registrations"] for m in meetings_own],
                [m["registrations"] for m in meetings_all],
            ),
        ),
        registry.Trend(
            "meetings.attended",
            _("Aanwezig bij bijeenkomsten per maand"),
            meetings_title,
            _split([m["attended"] for m in meetings_own], [m["attended"] for m in meetings_all]),
        ),
        registry.Trend(
            "referrals.made",
            _("Doorverwijzingen per maand"),
            referrals_title,
            _split([m.made for m in referrals_own], [m.made for m in referrals_all]),
        ),
        registry.Trend(
            "referrals.accepted",
            _("Doorverwijzingen opgepakt per maand"),
            referrals_title,
            _split([m.accepted for m in referrals_own], [m.accepted for m in referrals_all]),
        ),
        registry.Trend(
            "referrals.done",
            _("Doorverwijzingen afgerond per maand"),
            referrals_title,
            _split([m.done for m in referrals_own], [m.done for m in referrals_all]),
        ),
    ]
    minimum = min_group_size()
    pickup = [
        formats.number_format(m.median_hours_to_accept, 1)
        if m.median_hours_to_accept is not None and m.accepted >= minimum
        else "–"
        for m in referrals_own
    ]
    return trends, pickup


@dataclass(frozen=True)
class RegionDashboard:
    region: Region
    now: dt.datetime
    panel: DataPanel
    plan: RegionPlan | None
    months: list[str]
    trends: list[TrendView]
    municipalities: list[tuple[str, int | str]]
    houses: list[dict]
    house_columns: list[str] = field(default_factory=list)
    referral_pickup: list[str] = field(default_factory=list)

    @property
    def sections(self) -> list[tuple[str, list[TrendView]]]:
        return sections(self.trends)


def plan_of_year(region: Region, now: dt.datetime) -> RegionPlan | None:
    """The region's regioplan of the year of `now` (read live, also beside stored figures)."""
    return (
        RegionPlan.objects.filter(region=region, year=timezone.localdate(now).year)
        .select_related("reviewer")
        .first()
    )


def region_dashboard(
    region: Region, *, now: dt.datetime | None = None, shared: Shared | None = None
) -> RegionDashboard:
    """The region's dashboard computed now (every figure fresh from the database). `shared`:
    the all-region figures of a refresh of every dashboard, taken at the same `now`."""
    now = now or timezone.now()
    panel = data_panel(region, now=now)
    months = month_starts(timezone.localdate(now))
    tz = timezone.get_current_timezone()
    first = dt.datetime.combine(months[0], dt.time(), tz)
    end = dt.datetime.combine(next_month(months[-1]), dt.time(), tz)
    if shared is not None and shared.months == months:
        trends = shared.trends
    else:
        trends = registry.region_trends(None, months=months)
    extra, pickup = meeting_and_referral_trends(region, months, shared=shared)
    return RegionDashboard(
        region=region,
        now=now,
        panel=panel,
        plan=plan_of_year(region, now),
        months=month_labels(months),
        trends=[
            *trend_views(trends, months, [region.pk]),
            *trend_views(extra, months, [0]),
        ],
        referral_pickup=pickup,
        municipalities=municipality_rows(region),
        houses=house_rows(region, since=first, until=end),
        house_columns=[_("gehouden"), _("niet verschenen"), _("geannuleerd"), _("nog gepland")],
    )


@dataclass(frozen=True)
class NationalDashboard:
    now: dt.datetime
    months: list[str]
    trends: list[TrendView]  # the registry's series, with a column per region below
    regions: list[Region]
    # per region, its 12 months' total of each series (protected per series over the regions)
    region_rows: list[tuple[Region, list[int | str]]]
    # the meetings' and referrals' national lines (counted for the nation at once, no column)
    extra: list[TrendView] = field(default_factory=list)

    @property
    def sections(self) -> list[tuple[str, list[TrendView]]]:
        return sections([*self.trends, *self.extra])


def national_dashboard(
    *, now: dt.datetime | None = None, shared: Shared | None = None
) -> NationalDashboard:
    """The 35 regions side by side: the national line of every series, and each region's 12
    months' total of it. A column is a breakdown of the national total over the regions, so it
    is protected as one (a small region is hidden with another)."""
    now = now or timezone.now()
    months = month_starts(timezone.localdate(now))
    if shared is not None and shared.months == months:
        trends = shared.trends
    else:
        trends = registry.region_trends(None, months=months)
    regions = list(Region.objects.order_by("code"))
    columns = []
    for trend in trends:
        items = [(r.code, sum(trend.per_region.get(r.pk, ()))) for r in regions]
        if trend.protect:
            columns.append([_value(c) for c in suppress(items)])
        else:
            columns.append([n for _code, n in items])
    rows = [(region, [column[i] for column in columns]) for i, region in enumerate(regions)]
    extra, _pickup = meeting_and_referral_trends(None, months, shared=shared)
    return NationalDashboard(
        extra=trend_views(extra, months, None),
        now=now,
        months=month_labels(months),
        trends=trend_views(trends, months, None),
        regions=regions,
        region_rows=rows,
    )
