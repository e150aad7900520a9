"""Referral figures per month, for the region dashboard and this app's region panel.

`monthly()` returns raw counts: whoever shows them passes them through core.figures (the
minimum group and complementary suppression), as the panel below does.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import (
    Aggregate,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    FloatField,
    Q,
    QuerySet,
    Value,
)
from django.db.models.functions import Coalesce, Extract, TruncMonth
from django.utils import timezone

from referrals.models import Referral, Status


class Median(Aggregate):
    """PostgreSQL's median (percentile_cont(0.5)) of a number."""

    function = "percentile_cont"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


def _hours(start: str, end: F | Coalesce) -> ExpressionWrapper:
    """Hours from `start` to `end` (PostgreSQL's EXTRACT(EPOCH …) gives seconds)."""
    seconds = Extract(ExpressionWrapper(end - F(start), output_field=DurationField()), "epoch")
    return ExpressionWrapper(seconds / Value(3600.0), output_field=FloatField())


def hours_to_accept() -> Median:
    return Median(_hours("created_at", F("accepted_at")), filter=Q(accepted_at__isnull=False))


def hours_to_pick_up() -> Median:
    """Accepted, or closed without being accepted first (declined straight away)."""
    picked = Coalesce("accepted_at", "closed_at")
    return Median(
        _hours("created_at", picked),
        filter=Q(accepted_at__isnull=False) | Q(closed_at__isnull=False),
    )


@dataclass(frozen=True)
class Month:
    month: dt.date  # the first day
    made: int
    accepted: int  # picked up by a receiver (accepted, or done straight away)
    done: int
    declined: int
    median_hours_to_accept: float | None  # None when nothing was accepted


def _in_regions(region_ids: Iterable[int] | None) -> QuerySet[Referral]:
    referrals = Referral.objects.all()
    return referrals if region_ids is None else referrals.filter(region_id__in=list(region_ids))


def _add_months(month: dt.date, n: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + n
    return dt.date(index // 12, index % 12 + 1, 1)


def monthly(region_ids: Iterable[int] | None, first_month: dt.date, months: int) -> list[Month]:
    """Per month of referring (local time), from `first_month` for `months` months: made,
    accepted, done, declined and the median hours to accept. `region_ids` None: the nation."""
    first = first_month.replace(day=1)
    tz = timezone.get_current_timezone()
    since = dt.datetime.combine(first, dt.time(), tz)
    until = dt.datetime.combine(_add_months(first, months), dt.time(), tz)
    rows = (
        _in_regions(region_ids)
        .filter(created_at__gte=since, created_at__lt=until)
        .annotate(month=TruncMonth("created_at", tzinfo=tz))
        .values("month")
        .annotate(
            made=Count("pk"),
            accepted=Count("pk", filter=Q(accepted_at__isnull=False)),
            done=Count("pk", filter=Q(status=Status.DONE)),
            declined=Count("pk", filter=Q(status=Status.DECLINED)),
            median=hours_to_accept(),
        )
    )
    by_month = {timezone.localtime(row["month"], tz).date(): row for row in rows}
    result = []
    for n in range(months):
        month = _add_months(first, n)
        row = by_month.get(month)
        result.append(
            Month(
                month=month,
                made=row["made"] if row else 0,
                accepted=row["accepted"] if row else 0,
                done=row["done"] if row else 0,
                declined=row["declined"] if row else 0,
                median_hours_to_accept=(
                    round(row["median"], 1) if row and row["median"] is not None else None
                ),
            )
        )
    return result
