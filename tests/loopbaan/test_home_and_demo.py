import random

from django.urls import reverse
from faker import Faker

from core.roles import Role
from loopbaan import demo
from loopbaan.home import tiles
from loopbaan.models import Appointment, AppointmentReport, Availability
from members.models import MemberStatus
from tests.factories import MemberFactory, UserFactory
from tests.loopbaan.helpers import consultant_at


def test_an_active_member_gets_booking_tiles_online_and_nearest_first(cast):
    consultant_at(cast.union_house)
    consultant_at(cast.other_union_house)
    urls = [tile.url for tile in tiles(cast.member_user)]
    assert urls[0] == reverse("loopbaan:book_slots", kwargs={"place": "online"})
    assert urls[1] == reverse("loopbaan:book_slots", kwargs={"place": str(cast.union_house.pk)})
    assert reverse("loopbaan:mine") in urls


def test_a_suspended_member_gets_no_booking_tiles(cast):
    cast.member.status = MemberStatus.SUSPENDED
    cast.member.save()
    urls = [tile.url for tile in tiles(cast.member_user)]
    assert urls == [reverse("loopbaan:mine")]


def test_consultants_and_coordinators_get_their_tiles(cast):
    desk = reverse("loopbaan:desk_find")
    assert [t.url for t in tiles(cast.consultant)] == [
        reverse("loopbaan:agenda"),
        reverse("loopbaan:availability"),
        desk,
    ]
    assert [t.url for t in tiles(cast.coordinator)] == [reverse("loopbaan:occupancy"), desk]
    assert [t.url for t in tiles(cast.admin)] == [desk]
    assert tiles(cast.adviser) == []


def test_the_demo_seed_is_idempotent(cast):
    for n in (1, 2, 3):
        user = UserFactory(
            email=f"consulent{n}@demo.fnv-regio.nl", role=Role.CONSULTANT, serves_online=n == 1
        )
        user.union_houses.add(cast.union_house)
    MemberFactory(is_demo=True, region=cast.union_house.region)
    demo.seed(rng=random.Random(1), fake=Faker("nl_NL"))
    counts = (
        Availability.objects.count(),
        Appointment.objects.count(),
        AppointmentReport.objects.count(),
    )
    assert counts[0] == 3 * 2 + 2 and counts[1] > 0 and counts[2] > 0
    assert not Appointment.objects.filter(is_demo=False).exists()
    demo.seed(rng=random.Random(1), fake=Faker("nl_NL"))
    assert (
        Availability.objects.count(),
        Appointment.objects.count(),
        AppointmentReport.objects.count(),
    ) == counts
