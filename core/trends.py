"""Counting per region and month in SQL, for the apps' `region_trends` (core.registry.Trend).

One query per series: GROUP BY region, month over the rows of the months asked for, so a
dashboard costs the same at a thousand members as at a million (no row comes into Python).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.db.models import Count, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone


def month_starts(until: dt.date, count: int = 12) -> list[dt.date]:
    """The first days of the `count` months up to and including the month of `until`."""
    year, month = until.year, until.month
    starts = []
    for _ in range(count):
        starts.append(dt.date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return starts[::-1]


def next_month(day: dt.date) -> dt.date:
    return dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)


def _region_ids(regions: Any) -> list[int] | None:
    if regions is None:
        return None
    return [getattr(r, "pk", r) for r in regions]


def monthly_counts(
    queryset: QuerySet[Any, Any],
    *,
    date_field: str,
    months: Sequence[dt.date],
    regions: Any,
    region_field: str = "region",
    distinct: str = "",
) -> dict[int, list[int]]:
    """Rows of `queryset` per region and month of `date_field` (a date or a datetime, counted in
    local time), as {region pk: [count per month]}; `regions` None: every region. `distinct`
    counts distinct values of that field instead of rows."""
    if not months:
        return {}
    field = queryset.model._meta.get_field(date_field.split("__")[0])
    is_datetime = field.get_internal_type() == "DateTimeField"
    start, end = months[0], next_month(months[-1])
    if is_datetime:
        tz = timezone.get_current_timezone()
        low: Any = dt.datetime.combine(start, dt.time(), tz)
        high: Any = dt.datetime.combine(end, dt.time(), tz)
    else:
        low, high = start, end
    rows = queryset.filter(**{f"{date_field}__gte": low, f"{date_field}__lt": high})
    ids = _region_ids(regions)
    if ids is not None:
        rows = rows.filter(**{f"{region_field}__in": ids})
    else:
        rows = rows.filter(**{f"{region_field}__isnull": False})
    counted = (
        rows.annotate(trend_month=TruncMonth(date_field))
        .values_list(region_field, "trend_month")
        .annotate(n=Count(distinct or "pk", distinct=bool(distinct)))
        .order_by()
    )
    position = {m: i for i, m in enumerate(months)}
    result: dict[int, list[int]] = {}
    for region_id, month, n in counted:
        day = month.date() if isinstance(month, dt.datetime) else month
        if day in position:
            result.setdefault(region_id, [0] * len(months))[position[day]] += n
    return result


def monthly_counts_by(
    queryset: QuerySet[Any, Any],
    *,
    by: str,
    date_field: str,
    months: Sequence[dt.date],
    regions: Any,
    region_field: str = "region",
) -> dict[Any, dict[int, list[int]]]:
    """Like `monthly_counts`, split by the values of the field `by` in the same single query
    (sessions per channel): {value: {region pk: [count per month]}}."""
    if not months:
        return {}
    field = queryset.model._meta.get_field(date_field.split("__")[0])
    start, end = months[0], next_month(months[-1])
    low: Any = start
    high: Any = end
    if field.get_internal_type() == "DateTimeField":
        tz = timezone.get_current_timezone()
        low, high = (
            dt.datetime.combine(start, dt.time(), tz),
            dt.datetime.combine(end, dt.time(), tz),
        )
    rows = queryset.filter(**{f"{date_field}__gte": low, f"{date_field}__lt": high})
    ids = _region_ids(regions)
    if ids is not None:
        rows = rows.filter(**{f"{region_field}__in": ids})
    else:
        rows = rows.filter(**{f"{region_field}__isnull": False})
    counted = (
        rows.annotate(trend_month=TruncMonth(date_field))
        .values_list(by, region_field, "trend_month")
        .annotate(n=Count("pk"))
        .order_by()
    )
    position = {m: i for i, m in enumerate(months)}
    result: dict[Any, dict[int, list[int]]] = {}
    for value, region_id, month, n in counted:
        day = month.date() if isinstance(month, dt.datetime) else month
        if day in position:
            per_region = result.setdefault(value, {})
            per_region.setdefault(region_id, [0] * len(months))[position[day]] += n
    return result


def add(*series: dict[int, list[int]]) -> dict[int, list[int]]:
    """Series of the same months added region by region."""
    total: dict[int, list[int]] = {}
    for per_region in series:
        for region_id, counts in per_region.items():
            into = total.setdefault(region_id, [0] * len(counts))
            for i, n in enumerate(counts):
                into[i] += n
    return total


def national(per_region: dict[int, list[int]], months: int) -> list[int]:
    """The sum over every region, month by month."""
    total = [0] * months
    for counts in per_region.values():
        for i, n in enumerate(counts):
            total[i] += n
    return total


def only(per_region: dict[int, list[int]], region_ids: Iterable[int], months: int) -> list[int]:
    """The sum over the regions named, month by month (zeros for a region without rows)."""
    total = [0] * months
    for region_id in region_ids:
        for i, n in enumerate(per_region.get(region_id, ())):
            total[i] += n
    return total
