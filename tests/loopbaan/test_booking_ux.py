"""Booking as a finished product (#15 item 4): the limit before the first click, a week view,
a question before cancelling, "Zet in mijn agenda", date order and one date format."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation

from loopbaan.dates import when_label
from loopbaan.models import Appointment, AppointmentStatus
from loopbaan.slots import local_tz, search_slots
from tests.loopbaan.helpers import consultant_at, make_appointment, next_weekday_at


@pytest.fixture
def pool(cast):
    """Two consultants on Wednesday and Friday mornings at the cast's union house."""
    consultants = [
        consultant_at(cast.union_house, weekday=2, start=time(9), end=time(12)) for _ in range(2)
    ]
    for consultant in consultants:
        consultant.availabilities.create(
            union_house=cast.union_house,
            kind="weekly",
            weekday=4,
            start_time=time(9),
            end_time=time(12),
        )
    return consultants


def _full(cast, pool):
    thursday = [consultant_at(cast.union_house, weekday=3) for _ in range(2)]
    return [
        make_appointment(cast.member, pool, cast.union_house, next_weekday_at(2, 10)),
        make_appointment(cast.member, thursday, cast.union_house, next_weekday_at(3, 10)),
    ]


def test_the_limit_is_shown_before_the_first_click_with_the_open_appointments(cast, pool, login_as):
    first, second = _full(cast, pool)
    client = login_as(cast.member_user)
    for url in (
        reverse("loopbaan:book_place"),
        reverse("loopbaan:book_slots", kwargs={"place": str(cast.union_house.pk)}),
    ):
        response = client.get(url)
        body = response.content.decode()
        assert response.status_code == 200
        assert "Je hebt al 2 open afspraken; meer kan niet tegelijk." in body
        assert "slot-list" not in body  # no time picker
        for appointment in (first, second):
            assert reverse("loopbaan:cancel", kwargs={"token": appointment.public_token}) in body
            assert when_label(appointment.starts_at, appointment.ends_at) in body
    # The soonest comes first.
    body = client.get(reverse("loopbaan:book_place")).content.decode()
    assert body.index(str(first.public_token)) < body.index(str(second.public_token))
    # Even a confirm button reached another way books nothing and is no 400 page.
    key = search_slots(union_house_id=cast.union_house.pk)[0].key
    response = client.post(
        reverse("loopbaan:book_confirm", kwargs={"place": str(cast.union_house.pk), "slot": key}),
        {"question": ""},
    )
    assert response.status_code == 200
    assert "meer kan niet tegelijk" in response.content.decode()
    assert Appointment.objects.filter(member=cast.member).count() == 2


def test_below_the_limit_the_booking_pages_say_how_many_are_open(cast, pool, login_as):
    make_appointment(cast.member, pool, cast.union_house, next_weekday_at(2, 10))
    body = login_as(cast.member_user).get(reverse("loopbaan:book_place")).content.decode()
    assert "Je hebt nu 1 open afspraak; je kunt er 2 tegelijk hebben." in body


def test_the_time_picker_shows_one_week_with_previous_and_next_links(cast, pool, login_as):
    client = login_as(cast.member_user)
    url = reverse("loopbaan:book_slots", kwargs={"place": str(cast.union_house.pk)})
    slots = search_slots(union_house_id=cast.union_house.pk)
    first_day = slots[0].local_start.date()
    monday = first_day - timedelta(days=first_day.weekday())
    page = client.get(url)
    shown = [s for day in page.context["week_days"] for s, _href in day.slots]
    assert shown and all(monday <= s.local_start.date() < monday + timedelta(days=7) for s in shown)
    assert len(shown) < len(slots)  # one week, not the whole horizon
    assert [d.day.weekday() for d in page.context["week_days"]] == [0, 1, 2, 3, 4]
    body = page.content.decode()
    assert "week-columns-5" in body
    next_monday = monday + timedelta(days=7)
    assert f"?week={next_monday.isoformat()}" in body
    assert "Vorige week" not in body  # the first bookable week has no previous week
    later = client.get(url, {"week": next_monday.isoformat()})
    shown_later = [s for day in later.context["week_days"] for s, _href in day.slots]
    assert shown_later and all(
        next_monday <= s.local_start.date() < next_monday + timedelta(days=7) for s in shown_later
    )
    assert f"?week={monday.isoformat()}" in later.content.decode()
    # Nonsense in ?week= is ignored, never an error.
    assert client.get(url, {"week": "2026-13-45"}).status_code == 200
    assert client.get(url, {"week": "9999-01-01"}).context["week_first"] <= (
        timezone.localdate() + timedelta(weeks=9)
    )


def test_cancelling_asks_first_with_a_secondary_way_back(cast, pool, login_as):
    appointment = make_appointment(cast.member, pool, cast.union_house)
    client = login_as(cast.member_user)
    manage = client.get(reverse("loopbaan:manage", kwargs={"token": appointment.public_token}))
    cancel_url = reverse("loopbaan:cancel", kwargs={"token": appointment.public_token})
    assert f'href="{cancel_url}"' in manage.content.decode()  # a link to a question, no form
    question = client.get(cancel_url)
    body = question.content.decode()
    assert question.status_code == 200
    assert 'class="button button-secondary"' in body and "Nee, terug" in body
    assert '<button type="submit" class="button-danger">Ja, annuleer de afspraak</button>' in body
    assert body.index("Nee, terug") < body.index("Ja, annuleer de afspraak")
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.BOOKED
    assert client.post(cancel_url).status_code == 302
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.CANCELLED


def test_the_confirmation_page_and_mail_offer_zet_in_mijn_agenda(
    cast, pool, login_as, django_capture_on_commit_callbacks
):
    client = login_as(cast.member_user)
    key = search_slots(union_house_id=cast.union_house.pk)[0].key
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse(
                "loopbaan:book_confirm", kwargs={"place": str(cast.union_house.pk), "slot": key}
            ),
            {"question": ""},
            follow=True,
        )
    appointment = Appointment.objects.get(member=cast.member)
    ics_url = reverse("loopbaan:calendar_file", kwargs={"token": appointment.public_token})
    assert "Zet in mijn agenda" in response.content.decode()
    assert ics_url in response.content.decode()
    member_mail = next(m for m in mail.outbox if m.to == [cast.member.email])
    assert "Zet in mijn agenda: http" in member_mail.body and ics_url in member_mail.body
    consultant_mail = next(m for m in mail.outbox if m.to == [pool[0].email])
    assert ics_url not in consultant_mail.body
    download = client.get(ics_url)
    assert download["Content-Type"].startswith("text/calendar")
    assert "attachment" in download["Content-Disposition"]
    text = download.content.decode()
    assert "METHOD:PUBLISH" in text and f"UID:{appointment.public_token}@fnv-regio" in text


def test_my_appointments_are_in_date_order_upcoming_first(cast, pool, login_as):
    far = make_appointment(
        cast.member, pool, cast.union_house, next_weekday_at(2, 10, weeks_ahead=3)
    )
    near = make_appointment(cast.member, pool, cast.union_house, next_weekday_at(2, 10))
    cancelled = make_appointment(
        cast.member,
        pool,
        cast.union_house,
        next_weekday_at(4, 10),
        status=AppointmentStatus.CANCELLED,
    )
    long_ago, recently = (
        make_appointment(
            cast.member,
            pool,
            cast.union_house,
            datetime.combine(timezone.localdate() - timedelta(days=days), time(10), local_tz()),
            status=AppointmentStatus.HELD,
        )
        for days in (60, 8)
    )
    response = login_as(cast.member_user).get(reverse("loopbaan:mine"))
    assert response.context["upcoming"] == [near, far]
    assert response.context["past"] == [cancelled, recently, long_ago]
    body = response.content.decode()
    positions = [
        body.index(str(a.public_token)) for a in (near, far, cancelled, recently, long_ago)
    ]
    assert positions == sorted(positions)


def test_dates_have_one_format_throughout():
    moment = datetime(2026, 12, 3, 10, 0, tzinfo=local_tz())
    with translation.override("nl"):
        assert when_label(moment, moment + timedelta(hours=1)) == (
            "donderdag 3 december 2026, 10:00–11:00"
        )


def test_the_pages_and_the_agenda_use_the_one_format(cast, pool, login_as):
    appointment = make_appointment(cast.member, pool, cast.union_house)
    label = when_label(appointment.starts_at, appointment.ends_at)
    assert label.split(",")[0].split()[0] in {
        "maandag",
        "dinsdag",
        "woensdag",
        "donderdag",
        "vrijdag",
        "zaterdag",
        "zondag",
    }
    member = login_as(cast.member_user)
    for url in (
        reverse("loopbaan:mine"),
        reverse("loopbaan:manage", kwargs={"token": appointment.public_token}),
    ):
        assert label in member.get(url).content.decode()
    agenda = login_as(pool[0]).get(
        reverse("loopbaan:agenda"), {"dag": appointment.starts_at.date().isoformat()}
    )
    assert label in agenda.content.decode()


def test_no_previous_week_before_the_week_of_the_first_free_time(rf):
    """The booking window can open in an earlier week than the first free time (on a Thursday,
    with nothing free until next Monday): the page opens at the first free time's week, with
    no link back to a week with nothing to book, also when that week is asked for."""
    from loopbaan.slots import Slot, bookable_window
    from loopbaan.views import week_view

    opens, _ = bookable_window()
    first = Slot(union_house_id=None, starts_at=opens + timedelta(days=14))
    later = Slot(union_house_id=None, starts_at=opens + timedelta(days=21))
    its_monday = first.local_start.date() - timedelta(days=first.local_start.weekday())
    window_week = timezone.localdate(opens).isoformat()
    for request in (rf.get("/"), rf.get("/", {"week": window_week})):
        week = week_view(request, [first, later], lambda slot: "#")
        assert week["week_first"] == its_monday
        assert week["week_previous"] is None
        assert week["week_next"] == its_monday + timedelta(days=7)
    next_week = week_view(
        rf.get("/", {"week": (its_monday + timedelta(days=7)).isoformat()}),
        [first, later],
        lambda slot: "#",
    )
    assert next_week["week_previous"] == its_monday
