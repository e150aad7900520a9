"""Demo data of this app, called by `manage.py seed_demo` after users and members exist.

Weekly hours for the demo consultants (consulent1..6@demo.fnv-regio.nl) at their union houses
and online, and a few appointments (upcoming and held, with reports). Idempotent: a consultant
who already has hours gets none added, and appointments are made only once (marked is_demo).
Written straight to the tables: no mails go out for demo data.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.db.backends.postgresql.psycopg_any import DateTimeTZRange
from django.utils import timezone

from core.roles import Role
from loopbaan.models import (
    Appointment,
    AppointmentConsultant,
    AppointmentReport,
    AppointmentStatus,
    Availability,
    AvailabilityKind,
    CareerQuestion,
    Referral,
    Reminder,
    buffer,
    duration,
)
from loopbaan.slots import local_tz, search_slots
from members.models import Member, User

DEMO_DOMAIN = "demo.fnv-regio.nl"
# Everyone at one union house shares the windows, so pairs exist; times are local.
HOUSE_HOURS = [(1, time(9), time(13)), (3, time(13), time(17))]
ONLINE_HOURS = [(0, time(19), time(21)), (2, time(19), time(21))]


def _consultants():
    return list(
        User.objects.filter(
            role=Role.CONSULTANT, email__regex=rf"^consulent[1-6]@{DEMO_DOMAIN}$"
        ).order_by("email")
    )


def _create_appointment(member, consultant_ids, house, starts_at, status):
    appointment = Appointment.objects.create(
        member=member,
        union_house=house,
        region_id=house.region_id if house else member.region_id,
        starts_at=starts_at,
        ends_at=starts_at + duration(),
        status=status,
        is_demo=True,
    )
    for pk in consultant_ids:
        AppointmentConsultant.objects.create(
            appointment=appointment,
            consultant_id=pk,
            during=DateTimeTZRange(starts_at, starts_at + duration() + buffer(), "[)"),
            is_active=status != "cancelled",
        )
    return appointment


def seed(*, rng, fake) -> None:
    consultants = _consultants()
    for consultant in consultants:
        if Availability.objects.filter(consultant=consultant).exists():
            continue
        for house in consultant.union_houses.all():
            for weekday, start, end in HOUSE_HOURS:
                Availability.objects.create(
                    consultant=consultant,
                    union_house=house,
                    kind=AvailabilityKind.WEEKLY,
                    weekday=weekday,
                    start_time=start,
                    end_time=end,
                )
        if consultant.serves_online:
            for weekday, start, end in ONLINE_HOURS:
                Availability.objects.create(
                    consultant=consultant,
                    union_house=None,
                    kind=AvailabilityKind.WEEKLY,
                    weekday=weekday,
                    start_time=start,
                    end_time=end,
                )

    if not consultants or Appointment.objects.filter(is_demo=True).exists():
        return
    houses = {house for c in consultants for house in c.union_houses.all()}
    demo_member = Member.objects.filter(user__email=f"lid@{DEMO_DOMAIN}").first()
    for house in sorted(houses, key=lambda h: h.pk):
        members = list(
            Member.objects.filter(is_demo=True, region=house.region, status="active").order_by(
                "pk"
            )[:12]
        )
        if demo_member and demo_member.region_id == house.region_id:
            members.insert(0, demo_member)
        if not members:
            continue
        # Upcoming: a few booked slots spread over the weeks.
        free = search_slots(union_house_id=house.pk)
        for index, slot in enumerate(free[::7][:3]):
            appointment = _create_appointment(
                members[index % len(members)],
                slot.consultant_ids[:2],
                house,
                slot.starts_at,
                AppointmentStatus.BOOKED,
            )
            for user_id in [appointment.member.user_id, *slot.consultant_ids[:2]]:
                if user_id:
                    Reminder.objects.get_or_create(
                        appointment=appointment,
                        recipient_id=user_id,
                        defaults={"due_at": appointment.starts_at - timedelta(hours=24)},
                    )
        # Held in the past weeks, with reports.
        pool = [c.pk for c in consultants if house in c.union_houses.all()]
        if len(pool) < 2:
            continue
        today = timezone.localdate()
        for weeks_back in range(1, 7):
            day = today - timedelta(weeks=weeks_back)
            day -= timedelta(days=(day.weekday() - 1) % 7)  # the Tuesday of that week
            starts_at = timezone.make_aware(datetime.combine(day, time(10)), local_tz())
            pair = rng.sample(pool, 2)
            member = members[(weeks_back + 3) % len(members)]
            no_show = rng.random() < 0.1
            appointment = _create_appointment(
                member,
                pair,
                house,
                starts_at,
                AppointmentStatus.NO_SHOW if no_show else AppointmentStatus.HELD,
            )
            referrals = rng.sample(list(Referral.values), rng.choice([0, 1, 1, 2]))
            AppointmentReport.objects.create(
                appointment=appointment,
                career_question=rng.choice(list(CareerQuestion.values)),
                referrals=sorted(referrals),
                no_show="member" if no_show else "",
                written_by_id=pair[0],
                # Demo reports never send the referral event: the trajectories demo seeds its own.
                trajectory_referral_sent_at=timezone.now() if "trajectory" in referrals else None,
            )
