"""The pages: three clicks to book, own objects only, reports and the referral event."""

from __future__ import annotations

from datetime import time, timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEntry
from loopbaan.models import (
    Appointment,
    AppointmentReport,
    AppointmentStatus,
    Availability,
    BlockedDay,
    ConsultantProfile,
)
from loopbaan.slots import search_slots
from members.events import trajectory_referral_made
from tests.factories import UserFactory
from tests.loopbaan.helpers import consultant_at, make_appointment, next_weekday_at


@pytest.fixture
def pool(cast):
    return [
        consultant_at(cast.union_house, weekday=2, start=time(9), end=time(13)) for _ in range(2)
    ]


def past(appointment):
    start = timezone.now() - timedelta(days=1)
    Appointment.objects.filter(pk=appointment.pk).update(
        starts_at=start, ends_at=start + timedelta(hours=1)
    )
    appointment.refresh_from_db()
    return appointment


def test_a_member_books_in_three_clicks_from_the_home_page(
    cast, pool, login_as, django_capture_on_commit_callbacks
):
    client = login_as(cast.member_user)
    home = client.get(reverse("home"))
    slots_url = reverse("loopbaan:book_slots", kwargs={"place": str(cast.union_house.pk)})
    assert slots_url in home.content.decode()  # click 1: the nearest union house tile
    page = client.get(slots_url)
    first = search_slots(union_house_id=cast.union_house.pk)[0]  # the week view opens on it
    confirm_url = reverse(
        "loopbaan:book_confirm", kwargs={"place": str(cast.union_house.pk), "slot": first.key}
    )
    assert confirm_url in page.content.decode()  # click 2: a time
    assert client.get(confirm_url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(confirm_url, {"question": "Ik wil een andere baan"})  # click 3
    appointment = Appointment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "loopbaan:manage", kwargs={"token": appointment.public_token}
    )
    assert appointment.question == "Ik wil een andere baan"
    assert len(mail.outbox) == 3
    assert AuditEntry.objects.filter(object_type="loopbaan.appointment", action="create").exists()


def test_the_confirm_page_says_just_taken_and_offers_the_next_slots(cast, pool, login_as):
    ten = next_weekday_at(2, 10)
    make_appointment(cast.other_member, pool, cast.union_house, ten)
    client = login_as(cast.member_user)
    url = reverse(
        "loopbaan:book_confirm",
        kwargs={"place": str(cast.union_house.pk), "slot": ten.strftime("%Y%m%dT%H%M")},
    )
    response = client.post(url, {"question": ""})
    assert response.status_code == 409
    body = response.content.decode()
    assert "Dit tijdstip is net door iemand anders geboekt" in body
    assert (ten + timedelta(minutes=90)).strftime("%Y%m%dT%H%M") in body
    assert Appointment.objects.count() == 1


def test_members_see_and_cancel_only_their_own_appointments(cast, pool, login_as):
    own = make_appointment(cast.member, pool, cast.union_house)
    foreign = make_appointment(
        cast.other_member,
        [consultant_at(cast.other_union_house) for _ in range(2)],
        cast.other_union_house,
    )
    client = login_as(cast.member_user)
    listing = client.get(reverse("loopbaan:mine")).content.decode()
    assert str(own.public_token) in listing and str(foreign.public_token) not in listing
    assert (
        client.post(reverse("loopbaan:cancel", kwargs={"token": foreign.public_token})).status_code
        == 404
    )
    foreign.refresh_from_db()
    assert foreign.status == AppointmentStatus.BOOKED
    assert (
        client.post(reverse("loopbaan:cancel", kwargs={"token": own.public_token})).status_code
        == 302
    )
    own.refresh_from_db()
    assert own.status == AppointmentStatus.CANCELLED


def test_the_manage_link_still_works_after_a_move(cast, pool, login_as):
    ten = next_weekday_at(2, 10)
    own = make_appointment(cast.member, pool, cast.union_house, ten)
    client = login_as(cast.member_user)
    later = (ten + timedelta(hours=2)).strftime("%Y%m%dT%H%M")
    url = reverse(
        "loopbaan:move_confirm",
        kwargs={"token": own.public_token, "place": str(cast.union_house.pk), "slot": later},
    )
    response = client.post(url)
    assert response.status_code == 302
    own.refresh_from_db()
    assert own.starts_at == ten + timedelta(hours=2)
    page = client.get(reverse("loopbaan:manage", kwargs={"token": own.public_token}))
    assert page.status_code == 200 and "12:00" in page.content.decode()


def test_consultants_see_their_own_appointments_in_their_agenda_only(cast, pool, login_as):
    ten = next_weekday_at(2, 10)
    own = make_appointment(cast.member, pool, cast.union_house, ten)
    other_pool = [
        consultant_at(cast.union_house, weekday=2, start=time(9), end=time(13)) for _ in range(2)
    ]
    foreign = make_appointment(cast.other_member, other_pool, cast.union_house, ten)
    client = login_as(pool[0])
    week = client.get(reverse("loopbaan:agenda"), {"dag": ten.date().isoformat()}).content.decode()
    assert reverse("loopbaan:consultant_appointment", kwargs={"pk": own.pk}) in week
    assert reverse("loopbaan:consultant_appointment", kwargs={"pk": foreign.pk}) not in week
    day = client.get(reverse("loopbaan:agenda"), {"dag": ten.date().isoformat(), "weergave": "dag"})
    assert cast.member.display_name in day.content.decode()
    assert (
        client.get(
            reverse("loopbaan:consultant_appointment", kwargs={"pk": foreign.pk})
        ).status_code
        == 404
    )
    assert client.post(reverse("loopbaan:withdraw", kwargs={"pk": foreign.pk})).status_code == 404
    assert foreign.active_consultants().count() == 2


def test_a_consultant_drops_out_from_the_agenda(cast, pool, login_as):
    own = make_appointment(cast.member, pool, cast.union_house)
    spare = consultant_at(cast.union_house, weekday=2, start=time(9), end=time(13))
    client = login_as(pool[0])
    assert client.post(reverse("loopbaan:withdraw", kwargs={"pk": own.pk})).status_code == 302
    assert set(own.active_consultants()) == {pool[1], spare}


def test_a_report_with_a_trajectory_referral_sends_the_event_once(cast, pool, login_as):
    received = []

    def receiver(sender, **kwargs):
        received.append(kwargs)

    trajectory_referral_made.connect(receiver)
    try:
        own = past(make_appointment(cast.member, pool, cast.union_house))
        client = login_as(pool[0])
        url = reverse("loopbaan:report", kwargs={"pk": own.pk})
        data = {
            "career_question": "job_loss",
            "referrals": ["trajectory", "legal"],
            "no_show": "",
            "notes": "Goed gesprek",
        }
        assert client.post(url, data).status_code == 302
        client = login_as(pool[1])
        assert client.post(url, data).status_code == 302  # the other consultant edits it
    finally:
        trajectory_referral_made.disconnect(receiver)
    report = AppointmentReport.objects.get()
    assert report.referrals == ["legal", "trajectory"]
    own.refresh_from_db()
    assert own.status == AppointmentStatus.HELD
    assert len(received) == 1
    assert received[0]["member"] == cast.member and received[0]["source"] == "appointment"
    assert received[0]["source_id"] == own.pk and received[0]["region"] == cast.region
    assert not AuditEntry.objects.filter(detail__contains="Goed gesprek").exists()


def test_a_no_show_of_the_member_is_recorded(cast, pool, login_as):
    own = past(make_appointment(cast.member, pool, cast.union_house))
    client = login_as(pool[0])
    client.post(
        reverse("loopbaan:report", kwargs={"pk": own.pk}),
        {"career_question": "other", "no_show": "member"},
    )
    own.refresh_from_db()
    assert own.status == AppointmentStatus.NO_SHOW


def test_a_report_cannot_be_written_before_the_talk(cast, pool, login_as):
    own = make_appointment(cast.member, pool, cast.union_house)
    client = login_as(pool[0])
    response = client.post(
        reverse("loopbaan:report", kwargs={"pk": own.pk}), {"career_question": "other"}
    )
    assert response.status_code == 400
    assert not AppointmentReport.objects.exists()


def test_reports_are_visible_to_the_two_consultants_and_referred_advisers_only(
    cast, pool, login_as
):
    own = past(make_appointment(cast.member, pool, cast.union_house))
    report = AppointmentReport.objects.create(
        appointment=own, career_question="training", referrals=["trajectory"]
    )
    url = reverse("loopbaan:report_detail", kwargs={"pk": report.pk})
    assert login_as(pool[1]).get(url).status_code == 200
    assert login_as(cast.adviser).get(url).status_code == 200
    assert login_as(cast.other_adviser).get(url).status_code == 404
    assert login_as(cast.consultant).get(url).status_code == 404
    report.referrals = ["legal"]
    report.save()
    assert login_as(cast.adviser).get(url).status_code == 404


def test_a_consultant_manages_availability_blocked_days_and_weekly_maximum(cast, login_as):
    client = login_as(cast.consultant)
    url = reverse("loopbaan:availability")
    response = client.post(
        url,
        {
            "action": "hours",
            "hours-place": str(cast.union_house.pk),
            "hours-kind": "weekly",
            "hours-weekday": "1",
            "hours-start_time": "09:00",
            "hours-end_time": "12:00",
        },
    )
    assert response.status_code == 302
    response = client.post(
        url,
        {
            "action": "hours",
            "hours-place": "online",
            "hours-kind": "once",
            "hours-date": (timezone.localdate() + timedelta(days=5)).isoformat(),
            "hours-start_time": "13:00",
            "hours-end_time": "15:00",
        },
    )
    assert response.status_code == 302
    assert Availability.objects.filter(consultant=cast.consultant).count() == 2
    # a union house the consultant does not serve is not a choice
    response = client.post(
        url,
        {
            "action": "hours",
            "hours-place": str(cast.other_union_house.pk),
            "hours-kind": "weekly",
            "hours-weekday": "1",
            "hours-start_time": "09:00",
            "hours-end_time": "12:00",
        },
    )
    assert response.status_code == 400
    client.post(
        url,
        {
            "action": "blocked",
            "blocked-date": (timezone.localdate() + timedelta(days=3)).isoformat(),
        },
    )
    client.post(url, {"action": "max", "max-weekly_max": "2"})
    assert BlockedDay.objects.filter(consultant=cast.consultant).count() == 1
    assert ConsultantProfile.objects.get(consultant=cast.consultant).weekly_max == 2


def test_a_consultant_cannot_delete_someone_elses_hours_or_days(cast, login_as):
    foreign_hours = consultant_at(cast.other_union_house).availabilities.get()
    foreign_day = BlockedDay.objects.create(
        consultant=cast.other_consultant, date=timezone.localdate()
    )
    client = login_as(cast.consultant)
    assert (
        client.post(
            reverse("loopbaan:availability_delete", kwargs={"pk": foreign_hours.pk})
        ).status_code
        == 404
    )
    assert (
        client.post(reverse("loopbaan:blocked_delete", kwargs={"pk": foreign_day.pk})).status_code
        == 404
    )
    assert Availability.objects.filter(pk=foreign_hours.pk).exists()
    assert BlockedDay.objects.filter(pk=foreign_day.pk).exists()
    own_day = BlockedDay.objects.create(consultant=cast.consultant, date=timezone.localdate())
    assert (
        client.post(reverse("loopbaan:blocked_delete", kwargs={"pk": own_day.pk})).status_code
        == 302
    )
    assert not BlockedDay.objects.filter(pk=own_day.pk).exists()


def test_the_coordinator_sees_numbers_per_union_house_of_their_regions_only(cast, pool, login_as):
    make_appointment(cast.member, pool, cast.union_house, question="Geheim")
    response = login_as(cast.coordinator).get(reverse("loopbaan:occupancy"))
    rows = {row["house"].name: row for row in response.context["rows"]}
    assert set(rows) == {"Vakbondshuis Utrecht"}
    assert rows["Vakbondshuis Utrecht"]["booked"] == 1
    assert rows["Vakbondshuis Utrecht"]["consultants"] == 3  # cast.consultant and the pool
    assert "Geheim" not in response.content.decode()
    assert cast.member.display_name not in response.content.decode()


def test_a_member_without_a_member_record_gets_404(cast, login_as):
    client = login_as(UserFactory(role="member"))
    assert client.get(reverse("loopbaan:book_place")).status_code == 404


def test_the_confirm_page_says_so_when_the_time_is_no_longer_free(cast, pool, login_as):
    ten = next_weekday_at(2, 10)
    make_appointment(cast.other_member, pool, cast.union_house, ten)
    url = reverse(
        "loopbaan:book_confirm",
        kwargs={"place": str(cast.union_house.pk), "slot": ten.strftime("%Y%m%dT%H%M")},
    )
    body = login_as(cast.member_user).get(url).content.decode()
    assert "Dit tijdstip is niet (meer) vrij." in body
    assert "Afspraak bevestigen</button>" not in body
