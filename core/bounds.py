"""Plausible ranges for what the portal accepts, written once.

PostgreSQL stores dates from 4713 BC, Python's `date` only from year 1: a form that accepts
0001-01-01 writes a timestamp that Python cannot read back, and every page that shows it fails
from then on. So every date a person types or a query string carries is checked here against a
range that makes sense for that field, with a message that says which dates are possible:

    due_on = BoundedDateField(bounds=bounds.GOAL, label=...)
    day = bounds.date_param(request.GET, "dag", bounds=bounds.AGENDA) or timezone.localdate()

Hand-parsed query and POST values (`request.GET[...]`) skip Django's form validation, so the
helpers below also refuse a NUL byte (PostgreSQL text cannot hold one) and cap the length.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpRequest
from django.utils import formats, timezone
from django.utils.translation import gettext as _

Limit = Callable[[dt.date], dt.date]  # today -> the limit


def fixed(day: dt.date) -> Limit:
    return lambda today: day


def days_from_today(days: int) -> Limit:
    return lambda today: today + dt.timedelta(days=days)


def years_from_today(years: int) -> Limit:
    def limit(today: dt.date) -> dt.date:
        try:
            return today.replace(year=today.year + years)
        except ValueError:  # 29 February
            return today.replace(year=today.year + years, day=28)

    return limit


@dataclass(frozen=True)
class DateRange:
    """The first and last date a field accepts, both inclusive; relative ones move with today."""

    earliest: Limit
    latest: Limit

    def limits(self, today: dt.date | None = None) -> tuple[dt.date, dt.date]:
        today = today or timezone.localdate()
        return self.earliest(today), self.latest(today)

    def __contains__(self, value: dt.date | dt.datetime) -> bool:
        first, last = self.limits()
        return first <= _day(value) <= last

    def message(self) -> str:
        first, last = self.limits()
        return _("Kies een datum tussen %(earliest)s en %(latest)s.") % {
            "earliest": formats.date_format(first, "j F Y"),
            "latest": formats.date_format(last, "j F Y"),
        }

    def validate(self, value: dt.date | dt.datetime | None) -> None:
        if value is not None and value not in self:
            raise ValidationError(self.message(), code="date_out_of_range")


def _day(value: dt.date | dt.datetime) -> dt.date:
    # The date as typed: converting 0001-01-01 00:00 to another zone would itself overflow.
    return value.date() if isinstance(value, dt.datetime) else value


# The whole portal: nothing before the union's records go back, nothing after this century.
PORTAL = DateRange(fixed(dt.date(2000, 1, 1)), fixed(dt.date(2100, 12, 31)))
# A consultation session is logged after it took place (corrections within the year).
SESSION = DateRange(years_from_today(-1), days_from_today(0))
# The consultant's agenda: browsing back a few years, ahead as far as anything is planned.
AGENDA = DateRange(years_from_today(-5), years_from_today(2))
# Availability and blocked days are about the coming time.
AVAILABILITY = DateRange(days_from_today(0), years_from_today(2))
# A link to a slot: the bookable window is weeks; a year either way leaves room for old links.
SLOT = DateRange(years_from_today(-1), years_from_today(1))
# Goals and the agreed end of guidance: a trajectory runs months to a few years.
GOAL = DateRange(years_from_today(-2), years_from_today(5))
TRAJECTORY_END = DateRange(years_from_today(-1), years_from_today(5))
# A collective case (reorganisation, bankruptcy) became known in the past.
ANNOUNCED = DateRange(years_from_today(-10), days_from_today(0))
# A regioplan's deadline: this year's plan or one of the next few.
PLAN_DEADLINE = DateRange(years_from_today(-1), years_from_today(5))
# Birth dates: the oldest living members, and nobody born tomorrow.
BIRTH_DATE = DateRange(fixed(dt.date(1900, 1, 1)), days_from_today(0))
# Any date in the admin, which edits every kind of record (birth dates included).
RECORDS = DateRange(fixed(dt.date(1900, 1, 1)), fixed(dt.date(2100, 12, 31)))


if TYPE_CHECKING:
    # What the mixin is combined with, for the type checker; at run time it has no base.
    _FieldBase = forms.Field
else:
    _FieldBase = object


class _Bounded(_FieldBase):
    """Checks the cleaned value against `bounds`, and tells the browser's date picker too."""

    bounds: DateRange
    html_min = html_max = "%Y-%m-%d"

    def validate(self, value: Any) -> None:
        super().validate(value)
        self.bounds.validate(value)

    def get_bound_field(self, form: forms.BaseForm, field_name: str) -> forms.BoundField:
        # Here rather than in __init__: a relative range moves with the day, the class does not.
        first, last = self.bounds.limits()
        widget = self.widget
        kind = widget.attrs.get("type") or getattr(widget, "input_type", "")
        if kind in {"date", "datetime-local"}:
            widget.attrs["min"] = first.strftime(self.html_min)
            widget.attrs["max"] = last.strftime(self.html_max)
        return super().get_bound_field(form, field_name)


class BoundedDateField(_Bounded, forms.DateField):
    def __init__(self, *, bounds: DateRange = PORTAL, **kwargs: Any) -> None:
        self.bounds = bounds
        super().__init__(**kwargs)


class BoundedDateTimeField(_Bounded, forms.DateTimeField):
    html_min, html_max = "%Y-%m-%dT00:00", "%Y-%m-%dT23:59"

    def __init__(self, *, bounds: DateRange = PORTAL, **kwargs: Any) -> None:
        self.bounds = bounds
        super().__init__(**kwargs)


class BoundedSplitDateTimeField(_Bounded, forms.SplitDateTimeField):
    def __init__(self, *, bounds: DateRange = PORTAL, **kwargs: Any) -> None:
        self.bounds = bounds
        super().__init__(**kwargs)


def admin_date_overrides(model_admin: Any) -> None:
    """Give a ModelAdmin's (or an inline class's) date and datetime fields the admin's range
    (RECORDS): the admin builds its forms from the models, which carry no range of their own."""
    overrides = dict(model_admin.formfield_overrides)
    for db_field, form_class in [
        (models.DateField, BoundedDateField),
        (models.DateTimeField, BoundedSplitDateTimeField),
    ]:
        current = overrides.get(db_field, {})
        # Django's own defaults name forms.SplitDateTimeField; a ModelAdmin's own choice stays.
        if current.get("form_class") in {None, forms.DateField, forms.SplitDateTimeField}:
            overrides[db_field] = {**current, "form_class": partial(form_class, bounds=RECORDS)}
    model_admin.formfield_overrides = overrides


# --- hand-parsed query and POST values ------------------------------------------------------


def text_param(params: Mapping[str, str], name: str, *, max_length: int = 200) -> str:
    """A free-text value, at most `max_length` characters; "" when it holds a NUL byte."""
    value = params.get(name, "")
    if not isinstance(value, str) or "\x00" in value:
        return ""
    return value[:max_length]


def int_param(
    params: Mapping[str, str], name: str, *, minimum: int = 0, maximum: int = 2**31 - 1
) -> int | None:
    """A whole number within [minimum, maximum] (a database integer by default), else None."""
    value = params.get(name, "")
    if not isinstance(value, str) or not value.isascii() or len(value) > 12:
        return None
    try:
        number = int(value)
    except ValueError:
        return None
    return number if minimum <= number <= maximum else None


def date_param(
    params: Mapping[str, str], name: str, *, bounds: DateRange = PORTAL
) -> dt.date | None:
    """A date as YYYY-MM-DD within `bounds`, else None (the caller picks the default)."""
    value = params.get(name, "")
    if not isinstance(value, str) or len(value) != 10 or not value.isascii():
        return None
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        return None
    return day if day in bounds else None


# --- saying what to fix ----------------------------------------------------------------------


def form_error_messages(request: HttpRequest, form: forms.BaseForm, **required: str) -> None:
    """Each error of a form that a view does not show again (it redirects) as a message, so
    "Kies een datum tussen …" reaches the person; a missing field in the view's own words."""
    for name, errors in form.errors.as_data().items():
        for error in errors:
            if error.code == "required" and name in required:
                messages.error(request, required[name])
            else:
                messages.error(request, " ".join(error.messages))
