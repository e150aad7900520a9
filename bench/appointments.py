"""Benchmark: slot search and booking with 280 consultants and a realistic share of bookings.

    DATABASE_URL=postgres://… DJANGO_DEBUG=1 python bench/appointments.py

Everything runs inside one transaction that is rolled back at the end, so the database is left
as it was and no mail is sent (mails are enqueued on commit). Prints the figures; the last line
is `RESULT slot_search_ms_p50=… booking_ms_p50=…`.
Targets (issue 4): slot search ≤ 100 ms, booking ≤ 50 ms at the median.
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import time as clock
from collections import defaultdict
from datetime import time, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fnvregio.settings")
os.environ.setdefault("DJANGO_DEBUG", "1")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402

# DJANGO_DEBUG=1 only stands in for production secrets here; production runs with DEBUG off,
# which also stops Django from recording every query (that would skew the figures).
settings.DEBUG = False

from django.db import transaction  # noqa: E402
from django.db.backends.postgresql.psycopg_any import DateTimeTZRange  # noqa: E402

from core.roles import Role  # noqa: E402
from loopbaan.models import (  # noqa: E402
    Appointment,
    AppointmentConsultant,
    Availability,
    AvailabilityKind,
    BlockedDay,
    ConsultantProfile,
    buffer,
    duration,
)
from loopbaan.services import SlotTakenError, appointment_book  # noqa: E402
from loopbaan.slots import _week_key, search_slots  # noqa: E402
from members.models import Member, User  # noqa: E402
from regions.models import Municipality, UnionHouse  # noqa: E402

CONSULTANTS = 280
HOUSES = 28
BOOKED_SHARE = 0.45  # share of the possible appointments already taken
SEARCH_RUNS = 40
BOOK_RUNS = 30


class Rollback(Exception):
    pass


def ms(seconds: float) -> float:
    return seconds * 1000


def build(rng: random.Random):
    municipalities = list(Municipality.objects.order_by("?")[:HOUSES])
    houses = [
        UnionHouse.objects.create(
            name=f"Bench vakbondshuis {n}",
            city=m.name,
            municipality=m,
            street="Benchstraat",
            house_number=str(n),
        )
        for n, m in enumerate(municipalities)
    ]
    users = User.objects.bulk_create(
        [
            User(
                email=f"bench-consulent{n}@example.invalid",
                full_name=f"Consulent {n}",
                role=Role.CONSULTANT,
                serves_online=rng.random() < 0.3,
                password="!",
            )
            for n in range(CONSULTANTS)
        ]
    )
    through = User.union_houses.through
    through.objects.bulk_create(
        [through(user_id=u.pk, unionhouse_id=houses[n % HOUSES].pk) for n, u in enumerate(users)]
    )
    availability, profiles, blocked = [], [], []
    for n, user in enumerate(users):
        house = houses[n % HOUSES]
        # Consultants of one house share a few day parts, so pairs form.
        for _ in range(2):
            weekday = rng.choice([0, 1, 2, 3, 4])
            start = rng.choice([9, 10, 13])
            availability.append(
                Availability(
                    consultant=user,
                    union_house=house,
                    kind=AvailabilityKind.WEEKLY,
                    weekday=weekday,
                    start_time=time(start),
                    end_time=time(start + rng.choice([3, 4])),
                )
            )
        if user.serves_online:
            availability.append(
                Availability(
                    consultant=user,
                    union_house=None,
                    kind=AvailabilityKind.WEEKLY,
                    weekday=rng.choice([0, 2, 3]),
                    start_time=time(19),
                    end_time=time(21),
                )
            )
        profiles.append(ConsultantProfile(consultant=user, weekly_max=rng.choice([2, 3, 4, 5])))
        for _ in range(rng.choice([0, 0, 1, 3])):
            from django.utils import timezone

            blocked.append(
                BlockedDay(
                    consultant=user, date=timezone.localdate() + timedelta(days=rng.randint(1, 56))
                )
            )
    Availability.objects.bulk_create(availability)
    ConsultantProfile.objects.bulk_create(profiles)
    BlockedDay.objects.bulk_create(blocked, ignore_conflicts=True)

    region = houses[0].region
    member_users = User.objects.bulk_create(
        [
            User(email=f"bench-lid{n}@example.invalid", role=Role.MEMBER, password="!")
            for n in range(600)
        ]
    )
    members = Member.objects.bulk_create(
        [
            Member(
                member_number=f"{9100000 + n}",
                last_name=f"Lid {n}",
                region=region,
                user=u,
                email=u.email,
            )
            for n, u in enumerate(member_users)
        ]
    )
    return houses, members


def fill(houses, members, rng: random.Random) -> int:
    """Book a realistic share of what is possible, written in bulk like months of use."""
    busy: dict[int, list] = defaultdict(list)
    load: dict = defaultdict(int)
    maxima = dict(ConsultantProfile.objects.values_list("consultant_id", "weekly_max"))
    appointments, pairs = [], []
    places = [h.pk for h in houses] + [None]
    occupied = duration() + buffer()
    for place in places:
        for slot in search_slots(union_house_id=place):
            if rng.random() > BOOKED_SHARE:
                continue
            week = _week_key(slot.starts_at)
            free = [
                c
                for c in slot.consultant_ids
                if load[(c, week)] < maxima.get(c, 4)
                and not any(
                    lo < slot.starts_at + occupied and slot.starts_at < hi for lo, hi in busy[c]
                )
            ]
            if len(free) < 2:
                continue
            pair = rng.sample(free, 2)
            for c in pair:
                busy[c].append((slot.starts_at, slot.starts_at + occupied))
                load[(c, week)] += 1
            member = rng.choice(members[:300])
            appointments.append(
                Appointment(
                    member=member,
                    union_house_id=place,
                    region_id=member.region_id,
                    starts_at=slot.starts_at,
                    ends_at=slot.starts_at + duration(),
                )
            )
            pairs.append((pair, slot.starts_at))
    Appointment.objects.bulk_create(appointments)
    AppointmentConsultant.objects.bulk_create(
        [
            AppointmentConsultant(
                appointment=a,
                consultant_id=c,
                during=DateTimeTZRange(start, start + occupied, "[)"),
            )
            for a, (pair, start) in zip(appointments, pairs, strict=True)
            for c in pair
        ]
    )
    return len(appointments)


def main() -> None:
    rng = random.Random(2026)
    try:
        with transaction.atomic():
            started = clock.perf_counter()
            houses, members = build(rng)
            booked = fill(houses, members, rng)
            print(
                f"setup: {CONSULTANTS} consultants, {HOUSES} union houses, {booked} existing "
                f"appointments ({ms(clock.perf_counter() - started):.0f} ms)"
            )
            search_times, slot_counts = [], []
            for n in range(SEARCH_RUNS):
                house = houses[n % HOUSES]
                started = clock.perf_counter()
                found = search_slots(union_house_id=house.pk)
                search_times.append(ms(clock.perf_counter() - started))
                slot_counts.append(len(found))
            started = clock.perf_counter()
            online = search_slots(union_house_id=None)
            online_ms = ms(clock.perf_counter() - started)
            book_times, taken = [], 0
            free_members = iter(members[300:])
            for n in range(BOOK_RUNS):
                house = houses[(n * 7) % HOUSES]
                candidates = search_slots(union_house_id=house.pk)
                if not candidates:
                    continue
                chosen = rng.choice(candidates)
                member = next(free_members)
                started = clock.perf_counter()
                try:
                    appointment_book(member=member, slot=chosen)
                except SlotTakenError:
                    taken += 1
                book_times.append(ms(clock.perf_counter() - started))
            search_p50 = statistics.median(search_times)
            book_p50 = statistics.median(book_times)
            print(
                f"slot search, one union house, {len(search_times)} runs: p50 {search_p50:.1f} ms, "
                f"max {max(search_times):.1f} ms, slots found p50 {statistics.median(slot_counts):.0f}"
            )
            print(
                f"slot search online (about 30% of consultants): {online_ms:.1f} ms, {len(online)} slots"
            )
            print(
                f"booking, {len(book_times)} runs: p50 {book_p50:.1f} ms, max {max(book_times):.1f} ms, "
                f"just taken {taken}"
            )
            raise Rollback
    except Rollback:
        pass
    print(f"RESULT slot_search_ms_p50={search_p50:.1f} booking_ms_p50={book_p50:.1f}")


if __name__ == "__main__":
    main()
