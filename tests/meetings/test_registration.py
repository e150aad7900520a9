"""Registering for a meeting: a member in two clicks, a guest with name, e-mail and consent; the
waiting list; cancelling by link; the confirmation mail with its calendar file."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.cache import cache
from django.urls import reverse
from icalendar import Calendar

from audit.models import AuditEntry
from meetings.models import Registration, RegistrationStatus
from tests.conftest import login
from tests.meetings.helpers import guest, make_meeting, move_to_past

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _eager_mail(settings, django_capture_on_commit_callbacks):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    cache.clear()


def _register_guest(client, meeting, **data):
    values = {"name": "Ilse van Dam", "email": "ilse@example.org", "consent": "on"}
    values.update(data)
    return client.post(reverse("meetings:register", kwargs={"pk": meeting.pk}), values)


def test_the_public_list_shows_upcoming_published_meetings_soonest_first(client, cast):
    later = make_meeting(cast, days=20, title="Loopbaancheck later")
    sooner = make_meeting(cast, days=3, title="Ontslag eerst")
    make_meeting(cast, days=5, title="Nog een concept", is_published=False)
    move_to_past(make_meeting(cast, title="Al geweest"))
    page = client.get(reverse("meetings:list")).content.decode()
    assert page.index(sooner.title) < page.index(later.title)
    assert "Nog een concept" not in page
    assert "Al geweest" not in page


def test_the_list_filters_by_region_and_theme(client, cast):
    from tests.meetings.helpers import foreign_meeting

    make_meeting(cast, title="Utrecht ontslag")
    make_meeting(cast, title="Utrecht loopbaan", theme="loopbaancheck")
    foreign_meeting(cast, title="Amsterdam ontslag")
    page = client.get(reverse("meetings:list"), {"regio": "AM13", "thema": "ontslag"})
    text = page.content.decode()
    assert "Utrecht ontslag" in text
    assert "Utrecht loopbaan" not in text
    assert "Amsterdam ontslag" not in text


def test_a_member_registers_in_two_clicks_and_gets_a_confirmation_with_ics(
    client, cast, django_capture_on_commit_callbacks
):
    meeting = make_meeting(cast, online=True)
    login(client, cast.member_user)
    detail = client.get(reverse("meetings:detail", kwargs={"pk": meeting.pk}))
    assert "geheim-123" not in detail.content.decode()  # the link only for registered people
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("meetings:register", kwargs={"pk": meeting.pk}))
    assert response.status_code == 302
    registration = Registration.objects.get(meeting=meeting)
    assert registration.member == cast.member
    assert registration.status == RegistrationStatus.REGISTERED
    [message] = mail.outbox
    assert message.to == [cast.member.email]
    assert "Aangemeld" in message.subject
    assert reverse("meetings:cancel", kwargs={"token": registration.token}) in message.body
    [(name, content, kind)] = message.attachments
    assert name == "bijeenkomst.ics" and kind.startswith("text/calendar")
    event = Calendar.from_ical(content).walk("VEVENT")[0]
    assert str(event["summary"]) == meeting.title
    assert "geheim-123" in str(event["location"])
    page = client.get(reverse("meetings:detail", kwargs={"pk": meeting.pk})).content.decode()
    assert "geheim-123" in page
    assert AuditEntry.objects.filter(
        object_type="meetings.registration", subject_member_id=cast.member.pk
    ).exists()


def test_a_member_cannot_register_twice(client, cast, django_capture_on_commit_callbacks):
    meeting = make_meeting(cast)
    login(client, cast.member_user)
    url = reverse("meetings:register", kwargs={"pk": meeting.pk})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)
    response = client.post(url, follow=True)
    assert "Je bent al aangemeld" in response.content.decode()
    assert Registration.objects.filter(meeting=meeting).count() == 1


def test_a_guest_registers_with_name_email_and_consent_without_an_account(
    client, cast, django_capture_on_commit_callbacks
):
    from members.models import User

    users = User.objects.count()
    meeting = make_meeting(cast)
    with django_capture_on_commit_callbacks(execute=True):
        response = _register_guest(client, meeting)
    assert response.status_code == 302
    assert response["Location"] == reverse("meetings:registered", kwargs={"pk": meeting.pk})
    registration = Registration.objects.get(meeting=meeting)
    assert (registration.name, registration.email) == ("Ilse van Dam", "ilse@example.org")
    assert registration.consent_at is not None and registration.member is None
    assert User.objects.count() == users
    [message] = mail.outbox
    assert message.to == ["ilse@example.org"]
    assert "wissen we ze" in message.body


def test_a_guest_without_consent_is_told_what_to_fix_and_nothing_is_saved(client, cast):
    meeting = make_meeting(cast)
    response = _register_guest(client, meeting, consent="")
    assert response.status_code == 200
    assert "Zet een vinkje om toestemming te geven" in response.content.decode()
    assert not Registration.objects.exists()
    assert not mail.outbox


def test_a_guest_without_a_valid_email_gets_a_dutch_message(client, cast):
    response = _register_guest(client, make_meeting(cast), email="geen-adres")
    assert "e-mailadres" in response.content.decode().lower()
    assert not Registration.objects.exists()


def test_the_same_guest_twice_gets_the_mail_again_not_a_second_place(
    client, cast, django_capture_on_commit_callbacks
):
    meeting = make_meeting(cast)
    with django_capture_on_commit_callbacks(execute=True):
        _register_guest(client, meeting)
        second = _register_guest(client, meeting, email="ILSE@example.org")
    assert second.status_code == 302  # the same answer as the first time
    assert Registration.objects.filter(meeting=meeting).count() == 1
    assert len(mail.outbox) == 2


def test_guests_from_one_address_are_limited(client, cast, settings):
    from meetings import views

    meeting = make_meeting(cast, capacity=50)
    for number in range(views.GUEST_REGISTRATIONS_PER_HOUR):
        assert _register_guest(client, meeting, email=f"p{number}@example.org").status_code == 302
    response = _register_guest(client, meeting, email="een.te.veel@example.org")
    assert response.status_code == 429
    assert "Te veel aanmeldingen" in response.content.decode()
    assert not Registration.objects.filter(email="een.te.veel@example.org").exists()


def test_an_unpublished_meeting_takes_no_registrations(client, cast):
    meeting = make_meeting(cast, is_published=False)
    assert _register_guest(client, meeting).status_code == 404
    assert not Registration.objects.exists()


def test_a_started_meeting_takes_no_registrations(client, cast):
    meeting = move_to_past(make_meeting(cast), days=0.01)
    response = _register_guest(client, meeting)
    assert "Aanmelden kan niet meer" in response.content.decode()
    assert not Registration.objects.exists()


def test_a_full_meeting_puts_people_on_the_waiting_list_which_moves_up_on_cancel(
    client, cast, django_capture_on_commit_callbacks
):
    meeting = make_meeting(cast, capacity=1)
    with django_capture_on_commit_callbacks(execute=True):
        _register_guest(client, meeting, name="Eerste", email="eerste@example.org")
        _register_guest(client, meeting, name="Tweede", email="tweede@example.org")
        _register_guest(client, meeting, name="Derde", email="derde@example.org")
    first, second, third = Registration.objects.filter(meeting=meeting).order_by("pk")
    assert [first.status, second.status, third.status] == [
        RegistrationStatus.REGISTERED,
        RegistrationStatus.WAITING,
        RegistrationStatus.WAITING,
    ]
    assert "wachtlijst" in mail.outbox[1].subject.lower()
    assert not mail.outbox[1].attachments  # no calendar item without a place
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("meetings:cancel", kwargs={"token": first.token}))
    assert "Je bent afgemeld" in response.content.decode()
    second.refresh_from_db()
    third.refresh_from_db()
    assert second.status == RegistrationStatus.REGISTERED and second.promoted_at
    assert third.status == RegistrationStatus.WAITING
    [moved_up] = mail.outbox
    assert moved_up.to == ["tweede@example.org"]
    assert "plaats vrij" in moved_up.subject
    assert moved_up.attachments
    second.refresh_from_db()
    assert second.moved_up_mail_sent_at is not None


def test_the_cancel_link_asks_first_on_get_and_changes_nothing(client, cast):
    registration = guest(make_meeting(cast))
    response = client.get(reverse("meetings:cancel", kwargs={"token": registration.token}))
    assert "Ja, meld mij af" in response.content.decode()
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.REGISTERED


def test_a_wrong_token_is_not_found_and_changes_nothing(client, cast):
    registration = guest(make_meeting(cast))
    for token in ["niet-een-bestaande-sleutel-1234567", "kort", "a\x00b" * 10, "x" * 5000]:
        response = client.post(f"/bijeenkomsten/afmelden/{token}/")
        assert response.status_code == 404, token
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.REGISTERED


def test_a_used_link_says_so_in_dutch_and_moves_nobody(
    client, cast, django_capture_on_commit_callbacks
):
    meeting = make_meeting(cast, capacity=1)
    first = guest(meeting)
    waiting = guest(meeting, email="wacht@example.org", status=RegistrationStatus.WAITING)
    url = reverse("meetings:cancel", kwargs={"token": first.token})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)
    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.REGISTERED
    # a third person joins the waiting list; the used link must not free another place
    third = guest(meeting, email="derde@example.org", status=RegistrationStatus.WAITING)
    response = client.post(url)
    assert "al afgemeld" in response.content.decode()
    third.refresh_from_db()
    assert third.status == RegistrationStatus.WAITING


def test_a_member_cancels_from_the_meeting_page(client, cast, django_capture_on_commit_callbacks):
    meeting = make_meeting(cast)
    login(client, cast.member_user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("meetings:register", kwargs={"pk": meeting.pk}))
    registration = Registration.objects.get(meeting=meeting)
    page = client.get(reverse("meetings:detail", kwargs={"pk": meeting.pk})).content.decode()
    cancel_url = reverse("meetings:cancel", kwargs={"token": registration.token})
    assert cancel_url in page
    client.post(cancel_url)
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CANCELLED
    # and may register again afterwards
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("meetings:register", kwargs={"pk": meeting.pk}))
    assert Registration.objects.filter(meeting=meeting).active().count() == 1


def test_cancelling_after_the_start_is_refused(client, cast):
    meeting = make_meeting(cast)
    registration = guest(meeting)
    move_to_past(meeting, days=0.01)
    response = client.post(reverse("meetings:cancel", kwargs={"token": registration.token}))
    assert "kan niet meer" in response.content.decode()
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.REGISTERED
