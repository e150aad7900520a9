"""Slot search: a one-hour slot exists where TWO consultants are both free at one place and hour.

Set-based: six queries per search (availability of the pool at the place, blocked days, the
pool's existing appointments anywhere, weekly maxima, the house's closures and opening hours),
then a pass in Python over the grid of start times. "Free" honours the availability windows,
blocked days, the buffer after every appointment (stored in `AppointmentConsultant.during`),
the weekly maximum, the booking horizon and the minimum notice; at a union house also its
closed days and, when it has opening hours recorded, those hours (the hours on its public
page, regions.hours).
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from core import bounds
from core.roles import Role
from loopbaan.models import (
    AppointmentConsultant,
    Availability,
    AvailabilityKind,
    BlockedDay,
    ConsultantProfile,
    buffer,
    duration,
    knob,
)
from regions.hours import HouseCalendar
from regions.models import PostcodeArea, UnionHouse, house_address

SLOT_KEY_FORMAT = "%Y%m%dT%H%M"


def local_tz() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


@dataclass(frozen=True)
class Slot:
    union_house_id: int | None
    starts_at: datetime
    consultant_ids: tuple[int, ...] = field(default=(), compare=False)

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + duration()

    @property
    def key(self) -> str:
        return timezone.localtime(self.starts_at, local_tz()).strftime(SLOT_KEY_FORMAT)

    @property
    def place_key(self) -> str:
        return str(self.union_house_id) if self.union_house_id else "online"

    @property
    def local_start(self) -> datetime:
        return timezone.localtime(self.starts_at, local_tz())


def parse_slot_key(key: str) -> datetime | None:
    try:
        naive = datetime.strptime(key, SLOT_KEY_FORMAT)
    except (TypeError, ValueError):
        return None
    if naive not in bounds.SLOT:  # 99991231T2359 has no end time a datetime can hold
        return None
    return naive.replace(tzinfo=local_tz())


def parse_place_key(key: str) -> int | None | bool:
    """'online' → None, '12' → 12, anything else → False."""
    if key == "online":
        return None
    if key.isascii() and key.isdigit() and len(key) <= 9:
        return int(key)
    return False


def bookable_window(now: datetime | None = None) -> tuple[datetime, datetime]:
    now = now or timezone.now()
    return (
        now + timedelta(hours=knob("MIN_NOTICE_HOURS")),
        now + timedelta(weeks=knob("HORIZON_WEEKS")),
    )


def _week_key(moment: datetime) -> tuple[int, int]:
    iso = timezone.localtime(moment, local_tz()).isocalendar()
    return (iso[0], iso[1])


def pool_filter(union_house_id: int | None) -> Q:
    pool = Q(consultant__role=Role.CONSULTANT, consultant__is_active=True)
    if union_house_id is None:
        return pool & Q(union_house__isnull=True, consultant__serves_online=True)
    return pool & Q(union_house_id=union_house_id, consultant__union_houses=union_house_id)


@dataclass
class _Candidates:
    """Free consultants per start time, and their appointment count in that week."""

    free: dict[datetime, list[int]]
    week_load: dict[tuple[int, tuple[int, int]], int]


def _candidates(
    union_house_id: int | None,
    start_from: datetime,
    until: datetime,
    *,
    exclude_appointment_id: int | None = None,
    only_start: datetime | None = None,
) -> _Candidates:
    tz = local_tz()
    first_day = timezone.localtime(start_from, tz).date()
    last_day = timezone.localtime(until, tz).date()
    windows = list(
        Availability.objects.filter(pool_filter(union_house_id))
        .filter(
            Q(kind=AvailabilityKind.WEEKLY)
            | Q(kind=AvailabilityKind.ONCE, date__range=(first_day, last_day))
        )
        .values_list("consultant_id", "kind", "weekday", "date", "start_time", "end_time")
    )
    if not windows:
        return _Candidates({}, {})
    pool = {row[0] for row in windows}
    blocked = set(
        BlockedDay.objects.filter(
            consultant_id__in=pool, date__range=(first_day, last_day)
        ).values_list("consultant_id", "date")
    )
    # Whole ISO weeks around the window, for the weekly maximum.
    week_start = datetime.combine(first_day - timedelta(days=first_day.weekday()), time(), tz)
    week_end = datetime.combine(last_day + timedelta(days=7 - last_day.weekday()), time(), tz)
    busy_rows = AppointmentConsultant.objects.filter(
        consultant_id__in=pool, is_active=True, during__overlap=(week_start, week_end)
    )
    if exclude_appointment_id is not None:
        busy_rows = busy_rows.exclude(appointment_id=exclude_appointment_id)
    # Busy intervals per consultant and local day they touch, so a candidate hour is compared
    # with that day's appointments only.
    busy: dict[tuple[int, date], list[tuple[datetime, datetime]]] = defaultdict(list)
    week_load: dict[tuple[int, tuple[int, int]], int] = defaultdict(int)
    for consultant_id, during in busy_rows.values_list("consultant_id", "during"):
        lower = timezone.localtime(during.lower, tz)
        upper = timezone.localtime(during.upper, tz)
        touched = lower.date()
        while touched <= upper.date():
            busy[(consultant_id, touched)].append((during.lower, during.upper))
            touched += timedelta(days=1)
        week_load[(consultant_id, _week_key(during.lower))] += 1
    default_max = knob("DEFAULT_WEEKLY_MAX")
    weekly_max = dict.fromkeys(pool, default_max)
    weekly_max.update(
        ConsultantProfile.objects.filter(consultant_id__in=pool).values_list(
            "consultant_id", "weekly_max"
        )
    )

    weekly_by_day: dict[int, list[tuple]] = defaultdict(list)
    once_by_date: dict[date, list[tuple]] = defaultdict(list)
    for consultant_id, kind, weekday, day, start, end in windows:
        if kind == AvailabilityKind.WEEKLY:
            weekly_by_day[weekday].append((consultant_id, start, end))
        else:
            once_by_date[day].append((consultant_id, start, end))

    length = duration()
    occupied = length + buffer()  # a new appointment also blocks its own buffer
    step = knob("SLOT_STEP_MINUTES")
    free: dict[datetime, set[int]] = defaultdict(set)
    day = first_day
    length_minutes = length.total_seconds() / 60
    # The house's closed days and opening hours (regions.hours): no slot when it is closed.
    calendar = (
        HouseCalendar.load(union_house_id, first_day, last_day)
        if union_house_id is not None
        else None
    )
    while day <= last_day:
        if calendar is not None and calendar.is_closed(day):
            day += timedelta(days=1)
            continue
        week = day.isocalendar()[:2]
        for consultant_id, start, end in weekly_by_day.get(day.weekday(), []) + once_by_date.get(
            day, []
        ):
            if (consultant_id, day) in blocked:
                continue
            if week_load[(consultant_id, week)] >= weekly_max[consultant_id]:
                continue
            day_busy = busy.get((consultant_id, day), ())
            minute = start.hour * 60 + start.minute
            minute = math.ceil(minute / step) * step
            end_minute = end.hour * 60 + end.minute
            while minute + length_minutes <= end_minute:
                begins = datetime.combine(day, time(minute // 60, minute % 60), tz)
                minute += step
                if begins < start_from or begins > until:
                    continue
                if only_start is not None and begins != only_start:
                    continue
                stops = begins + occupied
                if any(lo < stops and begins < hi for lo, hi in day_busy):
                    continue
                if calendar is not None and not calendar.allows(
                    day, begins.time(), (begins + length).time()
                ):
                    continue
                free[begins].add(consultant_id)
        day += timedelta(days=1)
    return _Candidates(
        {begins: sorted(ids) for begins, ids in free.items() if len(ids) >= 2}, week_load
    )


def search_slots(
    *,
    union_house_id: int | None,
    now: datetime | None = None,
    start_from: datetime | None = None,
    until: datetime | None = None,
    exclude_appointment_id: int | None = None,
    limit: int | None = None,
) -> list[Slot]:
    """Every bookable slot at one place (None = online), earliest first."""
    window_start, window_end = bookable_window(now)
    start_from = max(start_from or window_start, window_start)
    until = min(until or window_end, window_end)
    if start_from > until:
        return []
    found = _candidates(
        union_house_id, start_from, until, exclude_appointment_id=exclude_appointment_id
    )
    slots = [Slot(union_house_id, begins, tuple(ids)) for begins, ids in sorted(found.free.items())]
    return slots[:limit] if limit else slots


def free_consultants_at(
    *, union_house_id: int | None, starts_at: datetime, exclude_appointment_id: int | None = None
) -> list[int]:
    """Consultants free at one place and start, least busy that week first (fair spread).

    Empty unless at least two are free. Notice and horizon are checked by the caller.
    """
    found = _candidates(
        union_house_id,
        starts_at,
        starts_at,
        exclude_appointment_id=exclude_appointment_id,
        only_start=starts_at,
    )
    ids = found.free.get(starts_at, [])
    week = _week_key(starts_at)
    return sorted(ids, key=lambda pk: (found.week_load[(pk, week)], pk))


def free_single_consultants_at(
    *, union_house_id: int | None, starts_at: datetime, exclude_ids: set[int]
) -> list[int]:
    """Consultants free at one place and start, one being enough (a replacement for a
    consultant who dropped out), least busy that week first."""
    return [pk for pk in _free_at_single(union_house_id, starts_at) if pk not in exclude_ids]


def _free_at_single(union_house_id: int | None, starts_at: datetime) -> list[int]:
    tz = local_tz()
    day = timezone.localtime(starts_at, tz).date()
    rows = Availability.objects.filter(pool_filter(union_house_id)).filter(
        Q(kind=AvailabilityKind.WEEKLY, weekday=day.weekday())
        | Q(kind=AvailabilityKind.ONCE, date=day)
    )
    local = timezone.localtime(starts_at, tz)
    ends = (local + duration()).time()
    candidates = {
        consultant_id
        for consultant_id, start, end in rows.values_list("consultant_id", "start_time", "end_time")
        if start <= local.time() and ends <= end and local.date() == (local + duration()).date()
    }
    if not candidates:
        return []
    candidates -= set(
        BlockedDay.objects.filter(consultant_id__in=candidates, date=day).values_list(
            "consultant_id", flat=True
        )
    )
    candidates -= set(
        AppointmentConsultant.objects.filter(
            consultant_id__in=candidates,
            is_active=True,
            during__overlap=(starts_at, starts_at + duration() + buffer()),
        ).values_list("consultant_id", flat=True)
    )
    week_start = datetime.combine(day - timedelta(days=day.weekday()), time(), tz)
    load: dict[int, int] = defaultdict(int)
    for consultant_id in AppointmentConsultant.objects.filter(
        consultant_id__in=candidates,
        is_active=True,
        during__overlap=(week_start, week_start + timedelta(days=7)),
    ).values_list("consultant_id", flat=True):
        load[consultant_id] += 1
    maxima = dict.fromkeys(candidates, knob("DEFAULT_WEEKLY_MAX"))
    maxima.update(
        ConsultantProfile.objects.filter(consultant_id__in=candidates).values_list(
            "consultant_id", "weekly_max"
        )
    )
    return sorted((pk for pk in candidates if load[pk] < maxima[pk]), key=lambda pk: (load[pk], pk))


# --- Places, nearest first ----------------------------------------------------------------


@dataclass(frozen=True)
class Place:
    key: str
    label: str
    address: str = ""
    distance_km: int | None = None


def _haversine_km(lat1, lon1, lat2, lon2) -> float:
    radius = 6371.0
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = math.radians(lat2 - lat1)
    dlambda = math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * radius * math.asin(math.sqrt(a))


def member_location(member) -> tuple[float, float] | None:
    municipality = member.municipality
    if municipality is None and member.pc4:
        area = PostcodeArea.objects.filter(pc4=member.pc4).select_related("municipality").first()
        municipality = area.municipality if area else None
    if municipality is None or municipality.latitude is None:
        return None
    return (municipality.latitude, municipality.longitude)


def union_houses_nearest_first(member) -> list[Place]:
    """Union houses holding career hours and with consultants, nearest to the member first."""
    # Plain rows, not model instances: the member's home page lists every house (35 and more)
    # to pick the nearest two, and building the instances was most of that page's time.
    houses = (
        UnionHouse.objects.hosting_career_hours()
        .filter(consultants__role=Role.CONSULTANT, consultants__is_active=True)
        .distinct()
        .values_list(
            "pk",
            "name",
            "street",
            "house_number",
            "postcode",
            "city",
            "municipality__latitude",
            "municipality__longitude",
        )
    )
    origin = member_location(member)
    places = []
    for pk, name, street, number, postcode, city, latitude, longitude in houses:
        distance = None
        if origin and latitude is not None:
            distance = round(_haversine_km(*origin, latitude, longitude))
        places.append(Place(str(pk), name, house_address(street, number, postcode, city), distance))
    places.sort(key=lambda p: (p.distance_km is None, p.distance_km or 0, p.label))
    return places


def next_free_slots(*, union_house_id: int | None, after: datetime | None, count: int = 5):
    """The first free slots after `after` (or, when none are left after it, from now)."""
    found = search_slots(union_house_id=union_house_id, start_from=after, limit=count)
    if not found and after is not None:
        found = search_slots(union_house_id=union_house_id, limit=count)
    return found
