from datetime import time, timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import override_settings

from loopbaan.models import Appointment, AppointmentConsultant, AppointmentStatus, Reminder
from loopbaan.services import (
    SlotTakenError,
    appointment_book,
    appointment_cancel,
    appointment_move,
    appointment_withdraw_consultant,
)
from members.models import MemberStatus
from tests.factories import MemberFactory
from tests.loopbaan.helpers import consultant_at, make_appointment, next_weekday_at, slot


@pytest.fixture
def pool(cast):
    house = cast.union_house
    return [consultant_at(house, weekday=2, start=time(9), end=time(13)) for _ in range(2)]


def ics_of(message):
    for attachment in message.attachments:
        if attachment.filename.endswith(".ics"):
            return attachment.content
    return None


def test_booking_gives_the_member_two_consultants_and_mails_all_three_with_a_calendar_file(
    cast, pool, django_capture_on_commit_callbacks
):
    ten = next_weekday_at(2, 10)
    with django_capture_on_commit_callbacks(execute=True):
        appointment = appointment_book(
            member=cast.member, slot=slot(cast.union_house, ten), question="Scholing?"
        )
    assert set(appointment.active_consultants()) == set(pool)
    assert appointment.status == AppointmentStatus.BOOKED
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [cast.member.email, *(c.email for c in pool)]
    )
    member_mail = next(m for m in mail.outbox if m.to == [cast.member.email])
    ics = ics_of(member_mail)
    assert "METHOD:REQUEST" in ics and f"UID:{appointment.public_token}@fnv-regio" in ics
    assert str(appointment.public_token) in member_mail.body
    assert "Vakbondshuis Utrecht" in member_mail.body
    assert Reminder.objects.filter(appointment=appointment).count() == 3


def test_a_taken_slot_gives_the_just_taken_error_with_the_next_free_slots(cast, pool):
    ten = next_weekday_at(2, 10)
    appointment_book(member=cast.member, slot=slot(cast.union_house, ten))
    with pytest.raises(SlotTakenError) as error:
        appointment_book(member=cast.other_member, slot=slot(cast.union_house, ten))
    assert "net door iemand anders geboekt" in error.value.messages[0]
    assert error.value.next_slots
    assert all(s.starts_at > ten for s in error.value.next_slots)
    assert Appointment.objects.count() == 1


def test_only_active_members_book(cast, pool):
    cast.member.status = MemberStatus.SUSPENDED
    cast.member.save()
    with pytest.raises(ValidationError, match="actieve leden"):
        appointment_book(member=cast.member, slot=slot(cast.union_house, next_weekday_at(2, 10)))


@override_settings(FNV={"MIN_GROUP_SIZE": 3, "APPOINTMENT_MAX_OPEN_PER_MEMBER": 1})
def test_a_member_has_at_most_the_maximum_of_open_appointments(cast, pool):
    consultant_at(cast.union_house, weekday=3)
    consultant_at(cast.union_house, weekday=3)
    appointment_book(member=cast.member, slot=slot(cast.union_house, next_weekday_at(2, 10)))
    with pytest.raises(ValidationError, match="open afspraken"):
        appointment_book(member=cast.member, slot=slot(cast.union_house, next_weekday_at(3, 10)))


def test_the_database_refuses_a_consultant_in_two_overlapping_appointments(cast, pool):
    from django.db import IntegrityError, transaction

    ten = next_weekday_at(2, 10)
    make_appointment(cast.member, pool, cast.union_house, ten)
    with pytest.raises(IntegrityError), transaction.atomic():
        make_appointment(cast.other_member, pool, cast.union_house, ten + timedelta(minutes=30))


def test_moving_keeps_the_manage_link_and_sends_an_update_with_a_higher_sequence(
    cast, pool, django_capture_on_commit_callbacks
):
    ten = next_weekday_at(2, 10)
    appointment = appointment_book(member=cast.member, slot=slot(cast.union_house, ten))
    token = appointment.public_token
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        moved = appointment_move(
            appointment=appointment,
            slot=slot(cast.union_house, ten + timedelta(hours=2)),
            user=cast.member_user,
        )
    assert moved.pk == appointment.pk and moved.public_token == token
    assert moved.sequence == 1
    assert AppointmentConsultant.objects.filter(appointment=moved, is_active=True).count() == 2
    assert len(mail.outbox) == 3
    assert all("SEQUENCE:1" in ics_of(m) for m in mail.outbox)
    assert Reminder.objects.get(
        appointment=moved, recipient=cast.member_user
    ).due_at == moved.starts_at - timedelta(hours=24)


def test_cancelling_sends_a_calendar_cancel_with_the_same_uid_to_everyone(
    cast, pool, django_capture_on_commit_callbacks
):
    appointment = appointment_book(
        member=cast.member, slot=slot(cast.union_house, next_weekday_at(2, 10))
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        appointment_cancel(appointment=appointment, user=cast.member_user)
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.CANCELLED
    assert len(mail.outbox) == 3
    for message in mail.outbox:
        ics = ics_of(message)
        assert "METHOD:CANCEL" in ics and f"UID:{appointment.public_token}@fnv-regio" in ics
        assert "SEQUENCE:1" in ics
    assert not AppointmentConsultant.objects.filter(
        appointment=appointment, is_active=True
    ).exists()
    assert not Reminder.objects.filter(appointment=appointment).exists()


@override_settings(FNV={"MIN_GROUP_SIZE": 3, "APPOINTMENT_MIN_NOTICE_HOURS": 1})
def test_a_member_cannot_cancel_or_move_after_the_cutoff(cast, pool):
    from django.utils import timezone

    soon = next_weekday_at(2, 10)
    appointment = make_appointment(cast.member, pool, cast.union_house, soon)
    later = soon - timedelta(hours=10)
    with pytest.raises(ValidationError, match="Annuleren kan tot 24 uur"):
        appointment_cancel(appointment=appointment, user=cast.member_user, now=later)
    with pytest.raises(ValidationError, match="Verzetten kan tot 24 uur"):
        appointment_move(
            appointment=appointment,
            slot=slot(cast.union_house, soon + timedelta(hours=2)),
            user=cast.member_user,
            now=later,
        )
    assert timezone.now() < soon


def test_a_consultant_who_drops_out_is_replaced_by_a_free_one(
    cast, pool, django_capture_on_commit_callbacks
):
    spare = consultant_at(cast.union_house, weekday=2, start=time(9), end=time(13))
    ten = next_weekday_at(2, 10)
    appointment = make_appointment(cast.member, pool, cast.union_house, ten)
    with django_capture_on_commit_callbacks(execute=True):
        replacement = appointment_withdraw_consultant(appointment=appointment, consultant=pool[0])
    assert replacement == spare
    assert set(appointment.active_consultants()) == {pool[1], spare}
    appointment.refresh_from_db()
    assert not appointment.needs_consultant
    assert {m.to[0] for m in mail.outbox} == {pool[0].email, spare.email}
    assert "METHOD:CANCEL" in ics_of(next(m for m in mail.outbox if m.to == [pool[0].email]))


def test_without_a_replacement_the_member_is_told_and_the_coordinator_list_shows_it(
    cast, pool, django_capture_on_commit_callbacks, login_as
):
    from django.urls import reverse

    ten = next_weekday_at(2, 10)
    appointment = make_appointment(cast.member, pool, cast.union_house, ten)
    busy = consultant_at(cast.union_house, weekday=2, start=time(9), end=time(13))
    make_appointment(MemberFactory(), [busy], cast.union_house, ten)  # the only spare is busy
    with django_capture_on_commit_callbacks(execute=True):
        replacement = appointment_withdraw_consultant(appointment=appointment, consultant=pool[0])
    assert replacement is None
    appointment.refresh_from_db()
    assert appointment.needs_consultant
    member_mail = next(m for m in mail.outbox if m.to == [cast.member.email])
    assert "verzetten" in member_mail.body
    page = login_as(cast.coordinator).get(reverse("loopbaan:occupancy"))
    assert page.status_code == 200 and page.context["needs_consultant"] == [appointment]
    page = login_as(cast.other_coordinator).get(reverse("loopbaan:occupancy"))
    assert page.context["needs_consultant"] == []


def test_moving_to_an_hour_where_the_consultants_are_not_free_takes_two_others(
    cast, pool, django_capture_on_commit_callbacks
):
    others = [consultant_at(cast.union_house, weekday=3) for _ in range(2)]
    ten = next_weekday_at(2, 10)
    appointment = appointment_book(member=cast.member, slot=slot(cast.union_house, ten))
    mail.outbox.clear()
    thursday = next_weekday_at(3, 10)
    with django_capture_on_commit_callbacks(execute=True):
        appointment_move(
            appointment=appointment, slot=slot(cast.union_house, thursday), user=cast.member_user
        )
    assert set(appointment.active_consultants()) == set(others)
    for old in pool:
        [message] = [m for m in mail.outbox if m.to == [old.email]]
        assert "METHOD:CANCEL" in ics_of(message)
        assert not Reminder.objects.filter(appointment=appointment, recipient=old).exists()
    for new in others:
        [message] = [m for m in mail.outbox if m.to == [new.email]]
        assert "METHOD:REQUEST" in ics_of(message)
        assert Reminder.objects.filter(appointment=appointment, recipient=new).exists()


def test_the_database_also_keeps_the_buffer_between_two_appointments_of_a_consultant(cast, pool):
    from django.db import IntegrityError, transaction

    ten = next_weekday_at(2, 10)
    make_appointment(cast.member, pool, cast.union_house, ten)
    with pytest.raises(IntegrityError), transaction.atomic():
        make_appointment(cast.other_member, pool[:1], cast.union_house, ten + timedelta(hours=1))
    make_appointment(cast.other_member, pool[:1], cast.union_house, ten + timedelta(minutes=75))
