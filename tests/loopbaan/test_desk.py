"""Booking on a member's behalf (#13 item 6): a member phones the union house; a consultant finds
them by an exact key within their own regions, books, moves or cancels for them, and prints a
letter when the member has no e-mail address."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest
from django.core import mail
from django.urls import reverse

from audit.models import AuditEntry
from loopbaan.dates import when_label
from loopbaan.models import Appointment, AppointmentStatus, Reminder
from loopbaan.slots import search_slots
from tests.factories import MemberFactory, UserFactory
from tests.loopbaan.helpers import consultant_at, make_appointment, next_weekday_at


@pytest.fixture
def pool(cast):
    cast.union_house.phone = "030 123 45 67"
    cast.union_house.street, cast.union_house.house_number = "Oudegracht", "10"
    cast.union_house.save()
    return [
        consultant_at(
            cast.union_house, weekday=2, start=time(9), end=time(13), full_name=name, totp=False
        )
        for name in ("Anouk de Wit", "Bram Jansen")
    ]


@pytest.fixture
def caller(cast):
    """A member who phones: no account and no e-mail address, in the cast's region."""
    return MemberFactory(
        member_number="4455667",
        first_name="Gerda",
        last_name="Visser",
        email="",
        user=None,
        street="Lange Nieuwstraat",
        house_number="12a",
        postcode="3512 PH",
        city="Utrecht",
        birth_date=date(1961, 4, 9),
        region=cast.region,
    )


def _search(client, **data):
    fields = {"member_number": "", "birth_date": "", "postcode": "", "house_number": ""}
    return client.post(reverse("loopbaan:desk_find"), {**fields, **data})


def _first_slot_key(cast):
    return search_slots(union_house_id=cast.union_house.pk)[0].key


def _confirm_url(cast, member, key):
    return reverse(
        "loopbaan:desk_confirm",
        kwargs={"member": member.pk, "place": str(cast.union_house.pk), "slot": key},
    )


def test_a_consultant_finds_a_member_by_number_and_the_lookup_is_in_the_audit_trail(
    cast, caller, login_as
):
    client = login_as(cast.consultant)
    response = _search(client, member_number=" 4455667 ")
    assert response.status_code == 200
    assert list(response.context["found"]) == [caller]
    assert (
        reverse("loopbaan:desk_member", kwargs={"member": caller.pk}) in response.content.decode()
    )
    entry = AuditEntry.objects.get(action="search", subject_member_id=caller.pk)
    assert entry.actor == cast.consultant and "lidnummer" in entry.detail
    assert "4455667" not in entry.detail  # the key is named, its value is not copied


def test_birth_date_with_postcode_or_postcode_with_house_number_find_the_member(
    cast, caller, login_as
):
    client = login_as(cast.coordinator)
    by_birth = _search(client, birth_date="1961-04-09", postcode="3512ph")
    assert list(by_birth.context["found"]) == [caller]
    by_address = _search(client, postcode="3512 PH", house_number="12A")
    assert list(by_address.context["found"]) == [caller]
    wrong_birth = _search(client, birth_date="1961-04-10", postcode="3512 PH")
    assert list(wrong_birth.context["found"]) == []
    assert "Geen lid gevonden" in wrong_birth.content.decode()


def test_a_search_without_a_complete_key_says_what_to_fill_in(cast, caller, login_as):
    client = login_as(cast.consultant)
    response = _search(client, postcode="3512 PH")
    assert response.status_code == 400
    assert "of de postcode en het huisnummer" in response.content.decode()
    assert not response.context["searched"]
    response = _search(client, member_number="12ab")
    assert response.status_code == 400
    assert "6 tot 10 cijfers" in response.content.decode()
    assert not AuditEntry.objects.filter(action="search").exists()


def test_more_than_a_handful_of_matches_shows_none_and_asks_for_the_number(cast, login_as):
    for number in range(6):
        MemberFactory(postcode="3511 AB", house_number="1", member_number=f"555000{number}")
    response = _search(login_as(cast.consultant), postcode="3511 AB", house_number="1")
    assert response.context["too_many"] and response.context["found"] == []
    assert "Vraag het lidnummer" in response.content.decode()


def test_a_consultant_outside_the_members_region_finds_nobody_and_gets_404(
    cast, pool, caller, login_as
):
    outsider = login_as(cast.other_consultant)  # serves Vakbondshuis Amsterdam (AM18)
    assert list(_search(outsider, member_number="4455667").context["found"]) == []
    assert (
        outsider.get(reverse("loopbaan:desk_member", kwargs={"member": caller.pk})).status_code
        == 404
    )
    key = _first_slot_key(cast)
    response = outsider.post(_confirm_url(cast, caller, key), {"question": ""})
    assert response.status_code == 404
    assert not Appointment.objects.exists()
    own = make_appointment(caller, pool, cast.union_house)
    for name in ("desk_appointment", "desk_letter", "desk_cancel"):
        assert outsider.get(reverse(f"loopbaan:{name}", kwargs={"pk": own.pk})).status_code == 404
    assert outsider.post(reverse("loopbaan:desk_cancel", kwargs={"pk": own.pk})).status_code == 404
    own.refresh_from_db()
    assert own.status == AppointmentStatus.BOOKED
    # A member (even the one concerned) never reaches these pages.
    member_client = login_as(cast.member_user)
    assert member_client.get(reverse("loopbaan:desk_find")).status_code == 404


def test_a_consultant_books_for_a_member_without_email_and_prints_the_letter(
    cast, pool, caller, login_as, django_capture_on_commit_callbacks
):
    client = login_as(cast.consultant)
    member_page = client.get(reverse("loopbaan:desk_member", kwargs={"member": caller.pk}))
    assert "geen e-mailadres" in member_page.content.decode()
    key = _first_slot_key(cast)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_confirm_url(cast, caller, key), {"question": "Ik word ontslagen"})
    appointment = Appointment.objects.get(member=caller)
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "loopbaan:desk_appointment", kwargs={"pk": appointment.pk}
    )
    assert appointment.booked_by == cast.consultant and appointment.booked_for_member
    assert set(appointment.active_consultants()) == set(pool)
    # The consultants get their mail; the member has no address, so no mail and no reminder.
    assert sorted(m.to[0] for m in mail.outbox) == sorted(c.email for c in pool)
    assert set(
        Reminder.objects.filter(appointment=appointment).values_list("recipient", flat=True)
    ) == {c.pk for c in pool}
    entry = AuditEntry.objects.get(action="create", object_type="loopbaan.appointment")
    assert entry.actor == cast.consultant and entry.subject_member_id == caller.pk
    assert entry.detail == "namens het lid geboekt"

    letter = client.get(reverse("loopbaan:desk_letter", kwargs={"pk": appointment.pk}))
    body = letter.content.decode()
    assert letter.status_code == 200
    for text in (
        "Gerda Visser",
        "Lange Nieuwstraat 12a",
        "3512 PH",
        "UTRECHT",
        when_label(appointment.starts_at, appointment.ends_at),
        "Vakbondshuis Utrecht, Oudegracht 10",
        "Anouk en Bram",
        "Neem mee",
        "030 123 45 67",
    ):
        assert text in body, text
    assert AuditEntry.objects.filter(
        action="view", object_id=str(appointment.pk), actor=cast.consultant
    ).exists()


def test_the_member_sees_on_their_own_page_that_the_union_booked_it(
    cast, pool, login_as, django_capture_on_commit_callbacks
):
    client = login_as(cast.coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_confirm_url(cast, cast.member, _first_slot_key(cast)), {"question": ""})
    appointment = Appointment.objects.get(member=cast.member)
    assert appointment.booked_by == cast.coordinator
    member_mail = next(m for m in mail.outbox if m.to == [cast.member.email])
    assert "op je verzoek voor je gemaakt" in member_mail.body
    page = login_as(cast.member_user).get(
        reverse("loopbaan:manage", kwargs={"token": appointment.public_token})
    )
    assert "Geboekt door de vakbond op" in page.content.decode()


def test_a_member_who_books_themself_is_not_shown_as_booked_by_the_union(cast, pool, login_as):
    client = login_as(cast.member_user)
    key = _first_slot_key(cast)
    client.post(
        reverse("loopbaan:book_confirm", kwargs={"place": str(cast.union_house.pk), "slot": key}),
        {"question": ""},
    )
    appointment = Appointment.objects.get(member=cast.member)
    assert appointment.booked_by == cast.member_user and not appointment.booked_for_member
    page = client.get(reverse("loopbaan:manage", kwargs={"token": appointment.public_token}))
    assert "Geboekt door de vakbond" not in page.content.decode()


def test_the_open_appointments_limit_applies_and_is_shown_first(cast, pool, caller, login_as):
    thursday_pool = [consultant_at(cast.union_house, weekday=3) for _ in range(2)]
    make_appointment(caller, pool, cast.union_house, next_weekday_at(2, 10))
    make_appointment(caller, thursday_pool, cast.union_house, next_weekday_at(3, 10))
    client = login_as(cast.consultant)
    page = client.get(reverse("loopbaan:desk_member", kwargs={"member": caller.pk}))
    body = page.content.decode()
    assert "Dit lid heeft al 2 open afspraken" in body
    assert page.context["places"] == []
    assert body.index("Dit lid heeft al 2 open afspraken") < body.index("Verzetten")
    slots_url = reverse(
        "loopbaan:desk_slots", kwargs={"member": caller.pk, "place": str(cast.union_house.pk)}
    )
    assert client.get(slots_url).status_code == 302
    key = (next_weekday_at(2, 10) + timedelta(hours=2)).strftime("%Y%m%dT%H%M")
    response = client.post(_confirm_url(cast, caller, key), {"question": ""})
    assert response.status_code == 302
    assert Appointment.objects.filter(member=caller).count() == 2


def test_moving_and_cancelling_for_the_member(
    cast, pool, caller, login_as, django_capture_on_commit_callbacks
):
    ten = next_weekday_at(2, 10)
    appointment = make_appointment(caller, pool, cast.union_house, ten)
    client = login_as(cast.consultant)
    later = (ten + timedelta(hours=2)).strftime("%Y%m%dT%H%M")
    move_url = reverse(
        "loopbaan:desk_move_confirm",
        kwargs={"pk": appointment.pk, "place": str(cast.union_house.pk), "slot": later},
    )
    assert client.get(move_url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(move_url).status_code == 302
    appointment.refresh_from_db()
    assert appointment.starts_at == ten + timedelta(hours=2) and appointment.sequence == 1
    assert AuditEntry.objects.filter(detail="verzet namens het lid", actor=cast.consultant).exists()

    cancel_url = reverse("loopbaan:desk_cancel", kwargs={"pk": appointment.pk})
    question = client.get(cancel_url)
    assert question.status_code == 200 and "Nee, terug" in question.content.decode()
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.BOOKED  # asking changes nothing
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(cancel_url).status_code == 302
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.CANCELLED
    assert sorted(m.to[0] for m in mail.outbox) == sorted(c.email for c in pool)
    assert AuditEntry.objects.filter(
        detail="geannuleerd namens het lid", actor=cast.consultant, subject_member_id=caller.pk
    ).exists()
    # A cancelled appointment has no letter any more.
    assert (
        client.get(reverse("loopbaan:desk_letter", kwargs={"pk": appointment.pk})).status_code
        == 404
    )


def test_the_union_may_cancel_after_the_members_cutoff_but_not_after_the_start(
    cast, pool, caller, login_as
):
    from django.utils import timezone

    soon = timezone.now() + timedelta(hours=3)
    appointment = make_appointment(caller, pool, cast.union_house, soon)
    client = login_as(cast.consultant)
    assert (
        client.post(reverse("loopbaan:desk_cancel", kwargs={"pk": appointment.pk})).status_code
        == 302
    )
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.CANCELLED
    started = make_appointment(
        caller, pool, cast.union_house, timezone.now() - timedelta(minutes=10)
    )
    client.post(reverse("loopbaan:desk_cancel", kwargs={"pk": started.pk}))
    started.refresh_from_db()
    assert started.status == AppointmentStatus.BOOKED


def test_an_admin_books_for_a_member_of_any_region_and_other_roles_cannot(cast, login_as):
    assert list(
        _search(login_as(cast.admin), member_number=cast.other_member.member_number).context[
            "found"
        ]
    ) == [cast.other_member]
    for user in (cast.adviser, cast.regional_official, UserFactory(role="sector_official")):
        assert login_as(user).get(reverse("loopbaan:desk_find")).status_code == 404
