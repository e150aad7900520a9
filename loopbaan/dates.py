"""The one way Loopbaan FNV writes a date and a time (#15 item 4).

"donderdag 3 december 2026, 10:00–11:00": the day and month in words, in the active language,
in the portal's time zone. Templates use the `when` and `day` filters of
`loopbaan/templatetags/loopbaan_dates.py`; code that needs the text calls these functions.
"""

from __future__ import annotations

from datetime import date, datetime

from django.utils import timezone
from django.utils.dateformat import format as date_format

DAY_FORMAT = "l j F Y"
TIME_FORMAT = "H:i"


def _local(moment: datetime) -> datetime:
    return timezone.localtime(moment) if timezone.is_aware(moment) else moment


def day_label(moment: date | datetime) -> str:
    """'donderdag 3 december 2026'."""
    if isinstance(moment, datetime):
        moment = _local(moment)
    return date_format(moment, DAY_FORMAT)


def time_label(moment: datetime) -> str:
    """'10:00'."""
    return date_format(_local(moment), TIME_FORMAT)


def when_label(start: datetime, end: datetime | None = None) -> str:
    """'donderdag 3 december 2026, 10:00–11:00' (or '…, 10:00' without an end)."""
    text = f"{day_label(start)}, {time_label(start)}"
    return f"{text}–{time_label(end)}" if end is not None else text
