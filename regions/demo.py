"""Demo data of this app, called by `manage.py seed_demo` after the members' demo data.

The members' demo makes a union house in each large city; this gives two regions a story:
Midden-Utrecht (AM13: Utrecht, Nieuwegein, Zeist) and Groot Amsterdam (AM18: Amsterdam,
Amstelveen) get fictitious addresses, telephone numbers, directions, accessibility notes,
opening hours, consultation hours of both kinds and a closure around Christmas. Idempotent:
a house's hours are written only when it has none, a closure only when it is not there yet.
The opening hours cover the demo consultants' career hours (loopbaan/demo.py: Tuesday morning
and Thursday afternoon), so the booking pages keep offering slots.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from regions.hours import parse_week
from regions.models import (
    ConsultationHours,
    HoursKind,
    HouseClosure,
    Municipality,
    OpeningHours,
    UnionHouse,
)

DEMO_DOMAIN = "demo.fnv-regio.nl"


@dataclass(frozen=True)
class DemoHouse:
    name: str
    municipality_code: str
    city: str
    street: str
    house_number: str
    postcode: str
    phone: str
    directions: str
    accessibility: str
    opening: str
    work_income: str
    career: str


HOUSES = [
    DemoHouse(
        "Vakbondshuis Utrecht",
        "GM0344",
        "Utrecht",
        "Solidariteitsplein",
        "14",
        "3511 AB",
        "030 700 10 14",
        "Vijf minuten lopen van Utrecht Centraal: uitgang Jaarbeursplein niet nemen, "
        "ga richting Vredenburg. De ingang is naast de fietsenstalling.",
        "Drempelvrije ingang en een lift naar alle verdiepingen. Invalidentoilet op de begane "
        "grond. Betaald parkeren in de garage om de hoek; fietsen binnen stallen kan.",
        "ma-vr 09:00-17:00",
        "ma 13:00-16:00; wo 09:00-12:00",
        "di 09:00-13:00; do 13:00-17:00",
    ),
    DemoHouse(
        "Vakbondshuis Nieuwegein",
        "GM0356",
        "Nieuwegein",
        "Gildeweg",
        "3",
        "3431 BB",
        "030 700 10 35",
        "Sneltram 20 of 21, halte Stadscentrum, dan drie minuten lopen.",
        "Ingang op de begane grond, zonder drempels. Gratis parkeren voor de deur.",
        "di 09:00-12:30, 13:30-17:00; do 09:00-12:30",
        "di 13:30-16:30",
        "do 09:00-12:00",
    ),
    DemoHouse(
        "Vakbondshuis Zeist",
        "GM0355",
        "Zeist",
        "Arbeidershof",
        "27",
        "3701 CD",
        "030 700 10 55",
        "Bus 50 of 51 vanaf Utrecht Centraal, halte Zeist Centrum.",
        "Het spreekuur is op de eerste verdieping; er is geen lift. Bel vooraf, dan spreken "
        "we af in de vergaderruimte beneden.",
        "wo 09:00-13:00",
        "wo 09:30-12:30",
        "",
    ),
    DemoHouse(
        "Vakbondshuis Amsterdam",
        "GM0363",
        "Amsterdam",
        "Cao-kade",
        "101",
        "1012 AB",
        "020 700 20 01",
        "Tram 4, 14 of 24, halte Dam. Ingang aan de waterkant, bel 'Vakbondshuis'.",
        "Lift en drempelvrije ingang. Ringleiding in de grote zaal. Parkeren is lastig: "
        "kom met het openbaar vervoer of de fiets.",
        "ma-vr 09:00-17:00; za 10:00-13:00",
        "ma 09:00-12:00; za 10:00-12:00",
        "di 09:00-13:00; do 13:00-17:00",
    ),
    DemoHouse(
        "Vakbondshuis Amstelveen",
        "GM0362",
        "Amstelveen",
        "Loonlaan",
        "8",
        "1181 EF",
        "020 700 20 62",
        "Tram 25 (Amstelveenlijn), halte Stadshart, dan vijf minuten lopen.",
        "Rolstoeltoegankelijk; lift aanwezig. Gratis parkeren op het plein achter het gebouw.",
        "ma 13:00-17:00; do 09:00-17:00",
        "do 13:00-16:00",
        "",
    ),
]


def _christmas(today: dt.date) -> tuple[dt.date, dt.date]:
    """The coming (or current) Christmas closure: 24 December to 1 January."""
    year = today.year - 1 if today == dt.date(today.year, 1, 1) else today.year
    return dt.date(year, 12, 24), dt.date(year + 1, 1, 1)


def _write_hours(house: UnionHouse, demo: DemoHouse) -> None:
    if not house.opening_hours.exists():
        OpeningHours.objects.bulk_create(
            OpeningHours(house=house, weekday=day, opens=opens, closes=closes)
            for day, opens, closes in parse_week(demo.opening)
        )
    if not house.consultation_hours.exists():
        for kind, text in [
            (HoursKind.WORK_INCOME, demo.work_income),
            (HoursKind.CAREER, demo.career),
        ]:
            ConsultationHours.objects.bulk_create(
                ConsultationHours(
                    house=house,
                    kind=kind,
                    weekday=day,
                    starts=starts,
                    ends=ends,
                    note="zonder afspraak" if kind == HoursKind.WORK_INCOME else "op afspraak",
                )
                for day, starts, ends in parse_week(text)
            )


def seed(*, rng: Any, fake: Any) -> None:
    today = timezone.localdate()
    first, last = _christmas(today)
    for demo in HOUSES:
        municipality = Municipality.objects.get(code=demo.municipality_code)
        house = UnionHouse.objects.filter(name=demo.name).first() or UnionHouse(
            name=demo.name, is_demo=True, municipality=municipality
        )
        if not house.is_demo:
            continue  # a real house with this name: leave it alone
        house.municipality = municipality
        house.city = demo.city
        house.street = demo.street
        house.house_number = demo.house_number
        house.postcode = demo.postcode
        house.phone = demo.phone
        house.email = f"{demo.city.lower()}@{DEMO_DOMAIN}"
        house.directions = demo.directions
        house.accessibility = demo.accessibility
        house.hosts_career_hours = bool(demo.career)
        house.save()
        _write_hours(house, demo)
        if not house.closures.filter(starts_on__lte=last, ends_on__gte=first).exists():
            HouseClosure.objects.create(
                house=house, starts_on=first, ends_on=last, reason="Kerstvakantie"
            )
