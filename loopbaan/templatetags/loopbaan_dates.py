"""`{% load loopbaan_dates %}`: `{{ appointment|when }}`, `{{ slot|when }}`, `{{ moment|day }}`,
`{{ moment|clock }}` — the one date format of Loopbaan FNV (see loopbaan/dates.py)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django import template

from loopbaan.dates import day_label, time_label, when_label

register = template.Library()


@register.filter
def when(item: Any) -> str:
    """An appointment or slot (anything with starts_at and ends_at), or a datetime."""
    if isinstance(item, datetime):
        return when_label(item)
    starts_at = getattr(item, "starts_at", None)
    if starts_at is None:
        return ""
    return when_label(starts_at, getattr(item, "ends_at", None))


@register.filter
def day(item: date | datetime | None) -> str:
    return day_label(item) if item else ""


@register.filter
def clock(item: datetime | None) -> str:
    return time_label(item) if item else ""
