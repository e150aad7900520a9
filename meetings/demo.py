"""Demo data of this app, called by `manage.py seed_demo` after users and members exist.

A few meetings in Midden-Utrecht (AM13) at the demo's union houses, one in Amsterdam and one online: on
dismissal, a career check, and a reorganisation meeting for one employer; one held last month
with attendance recorded, so the figures show something. Guests are fictitious people with
example.org addresses; the demo member is registered for one meeting. Idempotent (marked
is_demo); written straight to the tables, so no mails go out.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.utils import timezone

from meetings.models import Meeting, Registration, RegistrationStatus, Theme
from members.models import Employer, Member, User
from regions.models import Region, UnionHouse

DEMO_DOMAIN = "demo.fnv-regio.nl"
GUESTS = [
    "Ilse van Dam",
    "Joost Verhoef",
    "Nadia Boukhari",
    "Remco de Ruiter",
    "Yara Mulder",
    "Tom Kuipers",
    "Lotte Smeets",
    "Hakan Yilmaz",
]


def _at(days: int, hour: int, minute: int = 0) -> datetime:
    day = timezone.localdate() + timedelta(days=days)
    return datetime.combine(day, time(hour, minute), timezone.get_current_timezone())


def _guest(meeting: Meeting, name: str, status: str, **extra) -> Registration:
    local = name.lower().replace(" ", ".")
    return Registration.objects.create(
        meeting=meeting,
        name=name,
        email=f"{local}@example.org",
        consent_at=timezone.now(),
        status=status,
        is_demo=True,
        **extra,
    )


def seed(*, rng, fake) -> None:
    if Meeting.objects.filter(is_demo=True).exists():
        return
    region = Region.objects.get(code="AM13")
    houses = list(UnionHouse.objects.active().filter(region=region).order_by("name"))
    if not houses:
        return
    utrecht = next((h for h in houses if h.city == "Utrecht"), houses[0])
    other = next((h for h in houses if h != utrecht), utrecht)
    organiser = User.objects.filter(email=f"coordinator@{DEMO_DOMAIN}").first()
    employer = (
        Employer.objects.filter(name="Zorggroep Noord B.V.").first()
        or Employer.objects.filter(is_demo=True).exclude(name__contains="(").first()
    )

    def meeting(title, theme, start, hours, capacity, *, house=None, online="", **extra):
        return Meeting.objects.create(
            title=title,
            theme=theme,
            description=extra.pop("description", ""),
            region=region,
            union_house=house,
            online_url=online,
            starts_at=start,
            ends_at=start + timedelta(hours=hours),
            capacity=capacity,
            organiser=organiser,
            is_published=True,
            is_demo=True,
            **extra,
        )

    dismissal = meeting(
        "Ontslag? Wat nu?",
        Theme.DISMISSAL,
        _at(9, 19, 30),
        2,
        30,
        house=utrecht,
        description=(
            "Je hoort dat je baan verdwijnt. Wat zijn je rechten, wat moet je nu regelen en "
            "wat kan de FNV voor je doen? Een jurist en een loopbaanadviseur vertellen het, "
            "daarna is er tijd voor je vragen. Ook voor wie (nog) geen lid is."
        ),
    )
    career = meeting(
        "Loopbaancheck: waar sta je en waar wil je naartoe?",
        Theme.CAREER_CHECK,
        _at(16, 10),
        2,
        12,
        house=other,
        description="In twee uur zet je je ervaring, je wensen en je kansen op een rij.",
    )
    online = meeting(
        "Wat te doen bij ontslag (online)",
        Theme.DISMISSAL,
        _at(12, 20),
        1,
        100,
        online="https://meet.example.org/fnv-ontslag",
        description="Dezelfde informatie als in het vakbondshuis, vanuit huis te volgen.",
    )
    if employer is not None:
        reorganisation = meeting(
            f"Reorganisatie bij {employer.name}: wat betekent het voor jou?",
            Theme.REORGANISATION,
            _at(6, 16),
            2,
            4,
            house=utrecht,
            employer=employer,
            description=(
                "Voor medewerkers van deze werkgever: het sociaal plan, je rechten en de "
                "volgende stappen. De bestuurder van de FNV is erbij."
            ),
        )
        for index, name in enumerate(GUESTS[:5]):
            status = RegistrationStatus.REGISTERED if index < 4 else RegistrationStatus.WAITING
            _guest(reorganisation, name, status)
    held = meeting(
        "Ontslag? Wat nu?",
        Theme.DISMISSAL,
        _at(-24, 19, 30),
        2,
        25,
        house=utrecht,
    )
    for index, name in enumerate(GUESTS):
        _guest(held, name, RegistrationStatus.REGISTERED, attended=index % 4 != 0)
    for name in GUESTS[2:6]:
        _guest(dismissal, name, RegistrationStatus.REGISTERED)
    _guest(career, GUESTS[6], RegistrationStatus.REGISTERED)
    _guest(online, GUESTS[7], RegistrationStatus.REGISTERED)
    member = Member.objects.filter(user__email=f"lid@{DEMO_DOMAIN}").first()
    if member is not None:
        Registration.objects.create(
            meeting=career, member=member, status=RegistrationStatus.REGISTERED, is_demo=True
        )
    # The second demo region: a meeting at the Amsterdam union house.
    amsterdam = UnionHouse.objects.active().filter(city="Amsterdam").order_by("pk").first()
    if amsterdam is not None:
        start = _at(13, 19, 30)
        amsterdam_meeting = Meeting.objects.create(
            title="Ontslag? Wat nu?",
            theme=Theme.DISMISSAL,
            description=(
                "Wat zijn je rechten als je baan verdwijnt, en wat regel je nu? Met tijd voor "
                "je vragen. Ook voor wie (nog) geen lid is."
            ),
            region=amsterdam.region,
            union_house=amsterdam,
            starts_at=start,
            ends_at=start + timedelta(hours=2),
            capacity=40,
            organiser=organiser,
            is_published=True,
            is_demo=True,
        )
        for name in GUESTS[:3]:
            _guest(amsterdam_meeting, name, RegistrationStatus.REGISTERED)
