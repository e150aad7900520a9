"""Test helpers for Loopbaan FNV: consultants with availability, and appointments made directly."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.db.backends.postgresql.psycopg_any import DateTimeTZRange
from django.utils import timezone

from core.roles import Role
from loopbaan.models import (
    Appointment,
    AppointmentConsultant,
    Availability,
    AvailabilityKind,
    buffer,
    duration,
)
from loopbaan.slots import Slot, local_tz
from tests.factories import UserFactory


def next_weekday_at(weekday: int, hour: int, *, weeks_ahead: int = 1) -> datetime:
    """A local time on a weekday at least `weeks_ahead` weeks (minus a few days) from now."""
    today = timezone.localdate()
    day = today + timedelta(days=7 * weeks_ahead - 3)
    while day.weekday() != weekday:
        day += timedelta(days=1)
    return datetime.combine(day, time(hour), local_tz())


def consultant_at(house=None, *, online=False, weekday=2, start=time(9), end=time(17), **kwargs):
    """A consultant serving `house` (or online) with weekly hours on `weekday`."""
    user = UserFactory(role=Role.CONSULTANT, serves_online=online, **kwargs)
    if house is not None:
        user.union_houses.add(house)
    Availability.objects.create(
        consultant=user,
        union_house=house,
        kind=AvailabilityKind.WEEKLY,
        weekday=weekday,
        start_time=start,
        end_time=end,
    )
    return user


def add_hours(user, house=None, *, weekday=2, start=time(9), end=time(17)):
    return Availability.objects.create(
        consultant=user,
        union_house=house,
        kind=AvailabilityKind.WEEKLY,
        weekday=weekday,
        start_time=start,
        end_time=end,
    )


def make_appointment(member, consultants, house=None, starts_at=None, **fields) -> Appointment:
    """An appointment written straight to the database (no checks, no mails)."""
    starts_at = starts_at or next_weekday_at(2, 10)
    appointment = Appointment.objects.create(
        member=member,
        union_house=house,
        region_id=house.region_id if house else member.region_id,
        starts_at=starts_at,
        ends_at=starts_at + duration(),
        **fields,
    )
    for consultant in consultants:
        AppointmentConsultant.objects.create(
            appointment=appointment,
            consultant=consultant,
            during=DateTimeTZRange(starts_at, starts_at + duration() + buffer(), "[)"),
        )
    return appointment


def slot(house, starts_at) -> Slot:
    return Slot(house.pk if house else None, starts_at)
