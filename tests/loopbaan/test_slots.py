from datetime import time, timedelta

from django.test import override_settings

from loopbaan.models import BlockedDay, ConsultantProfile
from loopbaan.slots import free_consultants_at, search_slots, union_houses_nearest_first
from tests.loopbaan.helpers import consultant_at, make_appointment, next_weekday_at


def starts(slots):
    return {s.starts_at for s in slots}


def test_it_offers_a_slot_only_where_two_consultants_are_free_at_the_same_place_and_hour(cast):
    house = cast.union_house
    consultant_at(house, weekday=2, start=time(9), end=time(12))
    consultant_at(house, weekday=2, start=time(10), end=time(14))
    consultant_at(house, weekday=3, start=time(9), end=time(17))  # alone on Thursday
    found = search_slots(union_house_id=house.pk)
    assert found
    for s in found:
        local = s.local_start
        assert local.weekday() == 2
        assert time(10) <= local.time() and (local + timedelta(hours=1)).time() <= time(12)
        assert len(s.consultant_ids) == 2


def test_it_offers_nothing_online_to_consultants_of_a_union_house(cast):
    consultant_at(cast.union_house, weekday=2)
    consultant_at(cast.union_house, weekday=2)
    assert search_slots(union_house_id=None) == []


def test_it_honours_the_buffer_after_an_existing_appointment(cast):
    house = cast.union_house
    a = consultant_at(house, weekday=2, start=time(9), end=time(13))
    b = consultant_at(house, weekday=2, start=time(9), end=time(13))
    ten = next_weekday_at(2, 10)
    make_appointment(cast.member, [a, b], house, ten)
    found = starts(search_slots(union_house_id=house.pk))
    assert ten not in found
    assert ten + timedelta(hours=1) not in found  # 11:00 falls inside the 15 minute buffer
    assert ten + timedelta(minutes=90) in found
    assert ten - timedelta(hours=1) not in found  # 9:00-10:00 plus buffer overlaps 10:00


def test_an_appointment_elsewhere_keeps_a_consultant_busy_here(cast):
    house = cast.union_house
    a = consultant_at(house, online=True, weekday=2, start=time(9), end=time(13))
    b = consultant_at(house, weekday=2, start=time(9), end=time(13))
    consultant_at(None, online=True, weekday=2, start=time(9), end=time(13))
    ten = next_weekday_at(2, 10)
    make_appointment(cast.other_member, [a, b], None, ten)
    assert free_consultants_at(union_house_id=house.pk, starts_at=ten) == []


def test_it_skips_blocked_days_and_full_weeks(cast):
    house = cast.union_house
    a = consultant_at(house, weekday=2, start=time(9), end=time(17))
    b = consultant_at(house, weekday=2, start=time(9), end=time(17))
    ten = next_weekday_at(2, 10)
    BlockedDay.objects.create(consultant=a, date=ten.date())
    assert not any(s.starts_at.date() == ten.date() for s in search_slots(union_house_id=house.pk))
    BlockedDay.objects.all().delete()
    ConsultantProfile.objects.create(consultant=b, weekly_max=1)
    c = consultant_at(house, weekday=2, start=time(9), end=time(17))
    make_appointment(cast.member, [b, c], house, ten)
    day_slots = [
        s for s in search_slots(union_house_id=house.pk) if s.starts_at.date() == ten.date()
    ]
    assert all(b.pk not in s.consultant_ids for s in day_slots)
    assert day_slots  # a and c remain (c has room under the default maximum)


@override_settings(
    FNV={"MIN_GROUP_SIZE": 3, "APPOINTMENT_HORIZON_WEEKS": 2, "APPOINTMENT_MIN_NOTICE_HOURS": 48}
)
def test_it_honours_notice_and_horizon(cast):
    from django.utils import timezone

    consultant_at(cast.union_house, weekday=2)
    consultant_at(cast.union_house, weekday=2)
    now = timezone.now()
    found = search_slots(union_house_id=cast.union_house.pk)
    assert found
    assert min(starts(found)) >= now + timedelta(hours=48)
    assert max(starts(found)) <= now + timedelta(weeks=2)


def test_it_lists_union_houses_nearest_first(cast):
    consultant_at(cast.union_house)
    consultant_at(cast.other_union_house)
    places = union_houses_nearest_first(cast.member)  # member lives in 3511 (Utrecht)
    assert [p.label for p in places] == ["Vakbondshuis Utrecht", "Vakbondshuis Amsterdam"]
    assert places[0].distance_km < places[1].distance_km


def test_one_off_hours_count_on_their_date_only(cast):
    from loopbaan.models import Availability, AvailabilityKind

    house = cast.union_house
    ten = next_weekday_at(4, 10)
    for _ in range(2):
        user = consultant_at(house, weekday=0, start=time(9), end=time(9, 45))  # too short
        Availability.objects.create(
            consultant=user,
            union_house=house,
            kind=AvailabilityKind.ONCE,
            date=ten.date(),
            start_time=time(10),
            end_time=time(11),
        )
    assert starts(search_slots(union_house_id=house.pk)) == {ten}


def test_the_search_takes_a_fixed_number_of_queries_however_many_weeks_and_consultants(
    cast, django_assert_max_num_queries
):
    house = cast.union_house
    pool = [consultant_at(house, weekday=day % 5) for day in range(12)]
    for n in range(6):
        make_appointment(
            cast.member,
            pool[2 * n : 2 * n + 2],
            house,
            next_weekday_at(n % 5, 10, weeks_ahead=1 + n),
        )
    # availability, blocked days, appointments, weekly maxima; the house's closures and
    # opening hours (regions.hours.HouseCalendar)
    with django_assert_max_num_queries(6):
        found = search_slots(union_house_id=house.pk)
    assert len(found) > 100
