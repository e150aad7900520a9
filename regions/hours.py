"""A union house's hours: the weekly notation, the opening table, the next consultation hour,
closed days, and which houses are near a postcode.

The compact notation is what admins type and what the house import reads (one cell per
house), in Dutch day names:

    ma 09:00-17:00; wo 13:00-17:00; vr 09:00-12:30
    ma-vr 09:00-12:00, 13:00-17:00

Parts are separated by ";" or a new line; a part is a day ("ma", "maandag") or a range of days
("ma-vr"), then one or more periods separated by ",". `format_week` writes the same notation
back, so `parse_week(format_week(rows)) == rows`.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from regions.models import (
    ConsultationHours,
    HoursKind,
    HouseClosure,
    OpeningHours,
    PostcodeArea,
    Region,
    UnionHouse,
    Weekday,
)

Period = tuple[int, dt.time, dt.time]  # (weekday 0=Monday, from, until)

MAX_NOTATION_LENGTH = 1000  # a full week with breaks is under 200 characters

DAY_ABBREVIATIONS = ["ma", "di", "wo", "do", "vr", "za", "zo"]
_DAY_NAMES = {
    "maandag": 0,
    "dinsdag": 1,
    "woensdag": 2,
    "donderdag": 3,
    "vrijdag": 4,
    "zaterdag": 5,
    "zondag": 6,
}
_DAYS = {**{name: number for number, name in enumerate(DAY_ABBREVIATIONS)}, **_DAY_NAMES}
_PART = re.compile(r"(?P<days>[a-z]+(?:\s*-\s*[a-z]+)?)\s+(?P<periods>.+)", re.IGNORECASE)
_TIME = re.compile(r"(?P<hour>[0-9]{1,2})[:.](?P<minute>[0-9]{2})")
_PERIOD = re.compile(r"(?P<start>[0-9]{1,2}[:.][0-9]{2})\s*-\s*(?P<end>[0-9]{1,2}[:.][0-9]{2})")


def _shown(part: str) -> str:
    """A bad part as it goes into a message: short, and without control characters."""
    cleaned = "".join(char if char.isprintable() else "?" for char in part.strip())
    return cleaned if len(cleaned) <= 40 else cleaned[:40] + "…"


def _day(word: str, part: str) -> int:
    number = _DAYS.get(word.strip().lower())
    if number is None:
        raise ValidationError(
            _(
                "Onbekende dag in “%(part)s”: gebruik ma, di, wo, do, vr, za of zo "
                "(bijvoorbeeld: ma 09:00-17:00)."
            )
            % {"part": _shown(part)},
            code="bad_day",
        )
    return number


def _time(text: str, part: str) -> dt.time:
    match = _TIME.fullmatch(text)
    hour, minute = (int(match["hour"]), int(match["minute"])) if match else (99, 99)
    if not (0 <= hour <= 23 and 0 <= minute <= 59):
        raise ValidationError(
            _("Ongeldige tijd “%(time)s” in “%(part)s”: schrijf een tijd tussen 00:00 en 23:59.")
            % {"time": _shown(text), "part": _shown(part)},
            code="bad_time",
        )
    return dt.time(hour, minute)


def parse_week(text: str) -> list[Period]:
    """Weekly periods from the compact notation, sorted by day and time.

    Raises ValidationError with a Dutch message naming the part to fix: an unknown day, a time
    that does not exist, an end before the start, overlapping periods on one day. An empty
    text is an empty week."""
    if "\x00" in text:
        raise ValidationError(
            _("De tijden bevatten een ongeldig teken; typ ze opnieuw."), code="nul"
        )
    if len(text) > MAX_NOTATION_LENGTH:
        raise ValidationError(
            _("De tijden zijn te lang (meer dan %(max)d tekens); schrijf één week.")
            % {"max": MAX_NOTATION_LENGTH},
            code="too_long",
        )
    periods: list[Period] = []
    for raw in re.split(r"[;\n]", text):
        part = raw.strip()
        if not part:
            continue
        match = _PART.fullmatch(part)
        if not match:
            raise ValidationError(
                _(
                    "“%(part)s” is niet te lezen: schrijf een dag en tijden, "
                    "bijvoorbeeld: ma 09:00-17:00."
                )
                % {"part": _shown(part)},
                code="bad_part",
            )
        first, _sep, last = match["days"].partition("-")
        start_day = _day(first, part)
        end_day = _day(last, part) if last else start_day
        if end_day < start_day:
            raise ValidationError(
                _("De dagen in “%(part)s” staan in de verkeerde volgorde (bijvoorbeeld: ma-vr).")
                % {"part": _shown(part)},
                code="bad_day_range",
            )
        for piece in match["periods"].split(","):
            period = _PERIOD.fullmatch(piece.strip())
            if not period:
                raise ValidationError(
                    _(
                        "“%(piece)s” in “%(part)s” is geen tijdvak: schrijf van-tot, "
                        "bijvoorbeeld 09:00-12:30."
                    )
                    % {"piece": _shown(piece), "part": _shown(part)},
                    code="bad_period",
                )
            starts, ends = _time(period["start"], part), _time(period["end"], part)
            if ends <= starts:
                raise ValidationError(
                    _("In “%(part)s” ligt het einde (%(end)s) niet na het begin (%(start)s).")
                    % {
                        "part": _shown(part),
                        "start": starts.strftime("%H:%M"),
                        "end": ends.strftime("%H:%M"),
                    },
                    code="reversed",
                )
            periods.extend((day, starts, ends) for day in range(start_day, end_day + 1))
    periods.sort()
    for (day, _start, end), (next_day, next_start, _end) in zip(periods, periods[1:], strict=False):
        if day == next_day and next_start < end:
            raise ValidationError(
                _("Op %(day)s overlappen twee tijdvakken; maak er één tijdvak van.")
                % {"day": Weekday(day).label},
                code="overlap",
            )
    return periods


def format_week(rows: Iterable[Period]) -> str:
    """The compact notation of weekly periods: "ma 09:00-12:00, 13:00-17:00; wo 13:00-17:00"."""
    by_day: dict[int, list[tuple[dt.time, dt.time]]] = defaultdict(list)
    for day, starts, ends in rows:
        by_day[day].append((starts, ends))
    return "; ".join(
        DAY_ABBREVIATIONS[day]
        + " "
        + ", ".join(f"{starts:%H:%M}-{ends:%H:%M}" for starts, ends in sorted(by_day[day]))
        for day in sorted(by_day)
    )


# --- a house's week -------------------------------------------------------------------------


@dataclass(frozen=True)
class DayHours:
    weekday: int
    name: str
    periods: list[tuple[dt.time, dt.time]] = field(default_factory=list)

    @property
    def text(self) -> str:
        if not self.periods:
            return _("gesloten")
        return ", ".join(f"{starts:%H:%M} – {ends:%H:%M}" for starts, ends in self.periods)


def opening_table(house: UnionHouse) -> list[DayHours]:
    """Monday to Sunday with the house's opening periods (none: closed that day)."""
    by_day: dict[int, list[tuple[dt.time, dt.time]]] = defaultdict(list)
    for row in OpeningHours.objects.filter(house=house).order_by("weekday", "opens"):
        by_day[row.weekday].append((row.opens, row.closes))
    return [DayHours(day.value, str(day.label), by_day[day.value]) for day in Weekday]


def consultation_table(house: UnionHouse, *, kind: str) -> list[DayHours]:
    """The days with consultation hours of one kind (days without are left out)."""
    by_day: dict[int, list[tuple[dt.time, dt.time]]] = defaultdict(list)
    for row in ConsultationHours.objects.filter(house=house, kind=kind).order_by(
        "weekday", "starts"
    ):
        by_day[row.weekday].append((row.starts, row.ends))
    return [
        DayHours(day.value, str(day.label), by_day[day.value]) for day in Weekday if by_day[day]
    ]


def closed_on(house: UnionHouse, day: dt.date) -> str | None:
    """Why the house is closed on `day`, or None when it is not."""
    closure = HouseClosure.objects.filter(house=house).covering(day).first()
    return closure.reason if closure else None


def coming_closures(house: UnionHouse, *, today: dt.date, limit: int = 5) -> list[HouseClosure]:
    return list(HouseClosure.objects.filter(house=house).coming(today)[:limit])


@dataclass(frozen=True)
class Occurrence:
    """One dated consultation hour."""

    kind: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    note: str = ""

    @property
    def kind_label(self) -> str:
        return str(HoursKind(self.kind).label)


def local_tz() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


SEARCH_DAYS = 366  # a house closed for longer has no next consultation hour


def next_consultation_hours(
    house: UnionHouse, *, kind: str, after: dt.datetime, limit: int = 1
) -> list[Occurrence]:
    """The next `limit` consultation hours of `kind` that start after `after`, skipping the
    days the house is closed. Two queries, whatever the number of weeks searched."""
    tz = local_tz()
    rows: dict[int, list[ConsultationHours]] = defaultdict(list)
    for row in ConsultationHours.objects.filter(house=house, kind=kind).order_by("starts"):
        rows[row.weekday].append(row)
    if not rows or limit < 1:
        return []
    first_day = after.astimezone(tz).date()
    last_day = first_day + dt.timedelta(days=SEARCH_DAYS)
    closures = list(
        HouseClosure.objects.filter(
            house=house, starts_on__lte=last_day, ends_on__gte=first_day
        ).values_list("starts_on", "ends_on")
    )
    found: list[Occurrence] = []
    day = first_day
    while day <= last_day and len(found) < limit:
        if rows.get(day.weekday()) and not any(lo <= day <= hi for lo, hi in closures):
            for row in rows[day.weekday()]:
                starts_at = dt.datetime.combine(day, row.starts, tz)
                if starts_at > after:
                    found.append(
                        Occurrence(
                            kind, starts_at, dt.datetime.combine(day, row.ends, tz), row.note
                        )
                    )
                    if len(found) == limit:
                        break
        day += dt.timedelta(days=1)
    return found


@dataclass(frozen=True)
class HouseCalendar:
    """A house's closed days and opening periods over a stretch of days, fetched once: what the
    career slot search needs to offer no slot on a closed day or outside opening hours."""

    closed_days: frozenset[dt.date]
    opening: dict[int, list[tuple[dt.time, dt.time]]]

    @classmethod
    def load(cls, house_id: int, first_day: dt.date, last_day: dt.date) -> HouseCalendar:
        closed: set[dt.date] = set()
        for starts_on, ends_on in HouseClosure.objects.filter(
            house_id=house_id, starts_on__lte=last_day, ends_on__gte=first_day
        ).values_list("starts_on", "ends_on"):
            day = max(starts_on, first_day)
            while day <= min(ends_on, last_day):
                closed.add(day)
                day += dt.timedelta(days=1)
        opening: dict[int, list[tuple[dt.time, dt.time]]] = defaultdict(list)
        for weekday, opens, closes in OpeningHours.objects.filter(house_id=house_id).values_list(
            "weekday", "opens", "closes"
        ):
            opening[weekday].append((opens, closes))
        return cls(frozenset(closed), dict(opening))

    def is_closed(self, day: dt.date) -> bool:
        return day in self.closed_days

    def allows(self, day: dt.date, starts: dt.time, ends: dt.time) -> bool:
        """Open for the whole of [starts, ends] on `day`: not a closed day and, when the house
        has opening hours recorded, inside one opening period (none recorded: no limit)."""
        if day in self.closed_days:
            return False
        if not self.opening:
            return True
        return any(
            opens <= starts and ends <= closes
            for opens, closes in self.opening.get(day.weekday(), [])
        )


# --- near a postcode --------------------------------------------------------------------------

_POSTCODE = re.compile(r"(?P<pc4>[1-9][0-9]{3})(?P<letters>[A-Z]{2})?")


def normalise_postcode(text: str) -> str:
    """The four digits of a Dutch postcode ("3511 AB", "3511ab", " 3511 " → "3511").

    Raises ValidationError with a Dutch message when the text is not a postcode."""
    compact = re.sub(r"\s+", "", text[:20]).upper() if "\x00" not in text else ""
    match = _POSTCODE.fullmatch(compact) if len(text) <= 20 else None
    if not match:
        raise ValidationError(_("Vul een postcode in zoals 3511 AB of 3511."), code="bad_postcode")
    return match["pc4"]


def _distance_km(origin: tuple[float, float], point: tuple[float, float]) -> float:
    lat1, lon1 = map(math.radians, origin)
    lat2, lon2 = map(math.radians, point)
    a = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0 * math.asin(math.sqrt(a))


@dataclass(frozen=True)
class NearbyHouse:
    house: UnionHouse
    distance_km: int | None  # between the centres of the two municipalities


def nearby_houses(postcode: str) -> tuple[Region | None, list[NearbyHouse]]:
    """The public houses of the postcode's region, nearest first, with their distance.

    An empty postcode: (None, []). A malformed or unknown postcode raises ValidationError
    with a Dutch message. A region without public houses: the three nearest houses of other
    regions (so a visitor is never left with nothing)."""
    if not postcode.strip():
        return None, []
    pc4 = normalise_postcode(postcode)
    area = PostcodeArea.objects.select_related("municipality__region").filter(pc4=pc4).first()
    if area is None:
        raise ValidationError(
            _(
                "Postcode %(pc4)s kennen we niet. Controleer de cijfers of probeer een postcode "
                "in de buurt."
            )
            % {"pc4": pc4},
            code="unknown_postcode",
        )
    region = area.municipality.region
    origin = (
        (area.municipality.latitude, area.municipality.longitude)
        if area.municipality.latitude is not None and area.municipality.longitude is not None
        else None
    )
    houses = list(UnionHouse.objects.public().filter(region=region).select_related("municipality"))
    fallback = not houses
    if fallback:
        houses = list(UnionHouse.objects.public().select_related("municipality"))

    def distance(house: UnionHouse) -> int | None:
        place = house.municipality
        if origin is None or place.latitude is None or place.longitude is None:
            return None
        return round(_distance_km(origin, (place.latitude, place.longitude)))

    near = [NearbyHouse(house, distance(house)) for house in houses]
    near.sort(key=lambda n: (n.distance_km is None, n.distance_km or 0, n.house.name))
    return region, near[:3] if fallback else near


def houses_near(postcode: str) -> tuple[Region | None, list[UnionHouse]]:
    """The region of a postcode and its public union houses, nearest first (see
    `nearby_houses`, which also gives the distances)."""
    region, near = nearby_houses(postcode)
    return region, [n.house for n in near]
