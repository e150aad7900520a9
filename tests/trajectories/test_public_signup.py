"""The public sign-up for a career trajectory: members and non-members, duplicates flagged for
the adviser and never shown to the visitor, a rate limit, a confirmation, retention."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEntry
from tests.conftest import login
from tests.factories import MemberFactory
from tests.trajectories import factories as f
from trajectories import retention
from trajectories.models import (
    IntakeRequest,
    IntakeSource,
    IntakeStatus,
    Participant,
    PublicSignup,
)

URL = "/trajecten/aanmelden/"
NONCE = re.compile(
    r'(nonce|value)="[A-Za-z0-9_-]{20,}"'
)  # nonce and CSRF token differ per response


@pytest.fixture(autouse=True)
def _fresh_rate_limit():
    cache.clear()
    yield
    cache.clear()


def _form(**changes) -> dict:
    data = {
        "first_name": "Sanne",
        "last_name": "de Wit",
        "email": "sanne@example.org",
        "phone": "",
        "postcode": "3511ab",
        "member_number": "",
        "question": "Ik ben ontslagen en zoek ander werk.",
        "consent": "on",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def _post(client, django_capture_on_commit_callbacks, **changes):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(URL, _form(**changes), REMOTE_ADDR="192.0.2.10")


def test_the_url_is_the_one_the_issue_names():
    assert reverse("trajectories:public_signup") == URL


def test_a_non_member_lands_in_the_intake_queue_of_the_postcodes_region_with_a_mail(
    cast, client, django_capture_on_commit_callbacks
):
    response = _post(client, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert response.url == reverse("trajectories:public_signup_done")
    request = IntakeRequest.objects.get()
    assert request.source == IntakeSource.PUBLIC_SIGNUP
    assert request.status == IntakeStatus.OPEN
    assert request.region == cast.region
    assert request.member is None
    assert request.participant.email == "sanne@example.org"
    assert request.participant.consent_source == "public_form"
    assert request.note == "Ik ben ontslagen en zoek ander werk."
    signup = request.public_signup
    assert signup.postcode == "3511 AB"
    assert not signup.is_flagged
    assert "toestemming" in signup.consent_text
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["sanne@example.org"]
    assert "aanmelding" in mail.outbox[0].subject
    assert AuditEntry.objects.filter(
        object_type="trajectories.intakerequest", object_id=str(request.pk)
    ).exists()


def test_the_adviser_of_that_region_sees_it_in_the_queue_and_another_region_does_not(
    cast, client, django_capture_on_commit_callbacks
):
    _post(client, django_capture_on_commit_callbacks)
    login(client, cast.adviser)
    page = client.get(reverse("trajectories:intake_queue")).content.decode()
    assert "Sanne de Wit" in page
    assert "aanmelding via de website" in page
    assert "Postcode 3511 AB" in page
    client.logout()
    login(client, cast.other_adviser)
    assert "Sanne de Wit" not in client.get(reverse("trajectories:intake_queue")).content.decode()


def test_without_consent_nothing_is_stored_and_the_message_says_why(
    cast, client, django_capture_on_commit_callbacks
):
    response = _post(client, django_capture_on_commit_callbacks, consent=None)
    assert response.status_code == 200
    assert "Zonder je toestemming" in response.content.decode()
    assert not IntakeRequest.objects.exists()
    assert not Participant.objects.exists()
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("postcode", "ABCD 12", "vier cijfers en twee letters"),
        ("postcode", "1000 AA", "Deze postcode kennen we niet"),
        ("email", "geen-adres", "e-mailadres"),
        ("member_number", "12ab", "6 tot 10 cijfers"),
        ("first_name", "   ", "voornaam"),
        ("question", "a\x00b", "toegestaan"),
        ("last_name", "x" * 500, "120"),
        ("question", "<script>alert(1)</script>' OR 1=1 --", None),
    ],
)
def test_hostile_or_wrong_input_gets_a_dutch_message_and_changes_nothing(
    cast, client, django_capture_on_commit_callbacks, field, value, message
):
    response = _post(client, django_capture_on_commit_callbacks, **{field: value})
    if message is None:
        # Markup is stored as text and shown escaped to the adviser.
        assert response.status_code == 302
        login(client, cast.adviser)
        page = client.get(reverse("trajectories:intake_queue")).content.decode()
        assert "<script>alert(1)" not in page
        assert "&lt;script&gt;" in page
        return
    assert response.status_code == 200
    assert message.lower() in response.content.decode().lower()
    assert not IntakeRequest.objects.exists()
    assert not Participant.objects.exists()


def test_a_member_found_by_email_is_flagged_for_the_adviser_but_the_visitor_sees_the_same_page(
    cast, client, django_capture_on_commit_callbacks
):
    stranger = _post(client, django_capture_on_commit_callbacks)
    stranger_page = NONCE.sub("", client.get(stranger.url).content.decode())
    member_post = _post(client, django_capture_on_commit_callbacks, email=cast.member.email.upper())
    assert member_post.url == stranger.url
    assert NONCE.sub("", client.get(member_post.url).content.decode()) == stranger_page
    # The mails say the same words, only the address differs.
    assert mail.outbox[0].body == mail.outbox[1].body
    flagged = PublicSignup.objects.get(possible_member=cast.member)
    assert "hoort bij een lid" in flagged.duplicate_notes
    login(client, cast.adviser)
    page = client.get(reverse("trajectories:intake_queue")).content.decode()
    assert "Controleren" in page
    assert cast.member.member_number in page


def test_a_member_found_by_number_and_postcode_is_flagged(
    cast, client, django_capture_on_commit_callbacks
):
    member = MemberFactory(member_number="7654321", postcode="3511 AB", region=cast.region)
    _post(
        client,
        django_capture_on_commit_callbacks,
        says_member="on",
        member_number="7654321",
        email="ander@example.org",
    )
    signup = PublicSignup.objects.get()
    assert signup.possible_member == member
    assert signup.says_member
    # The same number with another postcode is not enough to name a member.
    _post(
        client,
        django_capture_on_commit_callbacks,
        says_member="on",
        member_number="7654321",
        postcode="1011 AB",
        email="derde@example.org",
    )
    other = PublicSignup.objects.latest("pk")
    assert other.possible_member is None
    assert "geen lid gevonden" in other.duplicate_notes


def test_a_second_sign_up_while_one_waits_is_linked_to_the_first(
    cast, client, django_capture_on_commit_callbacks
):
    _post(client, django_capture_on_commit_callbacks)
    _post(client, django_capture_on_commit_callbacks, phone="0612345678")
    first, second = PublicSignup.objects.order_by("pk")
    assert second.duplicate_of == first.intake_request
    assert "wacht al een aanvraag" in second.duplicate_notes
    assert not first.is_flagged


def test_a_member_already_waiting_in_the_queue_is_linked_to_that_request(
    cast, client, django_capture_on_commit_callbacks
):
    waiting = f.intake(region=cast.region, member=cast.member)
    _post(client, django_capture_on_commit_callbacks, email=cast.member.email)
    assert PublicSignup.objects.get().duplicate_of == waiting


def test_a_logged_in_member_signs_up_as_themselves(
    cast, client, django_capture_on_commit_callbacks
):
    login(client, cast.member_user)
    form = client.get(URL).content.decode()
    assert cast.member_user.email in form
    _post(client, django_capture_on_commit_callbacks, email=cast.member_user.email)
    request = IntakeRequest.objects.get()
    assert request.member == cast.member
    assert request.participant is None
    assert mail.outbox[0].to == [cast.member.email]


def test_staff_accounts_get_404(cast, client):
    login(client, cast.adviser)
    assert client.get(URL).status_code == 404


def test_the_rate_limit_per_address_stops_a_flood(cast, client, django_capture_on_commit_callbacks):
    for n in range(5):
        assert (
            _post(client, django_capture_on_commit_callbacks, email=f"p{n}@example.org").status_code
            == 302
        )
    response = _post(client, django_capture_on_commit_callbacks, email="p9@example.org")
    assert response.status_code == 200
    assert "Probeer het later opnieuw" in response.content.decode()
    assert IntakeRequest.objects.count() == 5


def test_the_rate_limit_per_email_address_counts_across_addresses(
    cast, client, django_capture_on_commit_callbacks
):
    for n in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            client.post(URL, _form(), REMOTE_ADDR=f"198.51.100.{n}")
    response = client.post(URL, _form(), REMOTE_ADDR="198.51.100.200")
    assert response.status_code == 200
    assert IntakeRequest.objects.count() == 3


def test_retention_deletes_unhandled_sign_ups_and_keeps_taken_ones(
    cast, client, django_capture_on_commit_callbacks
):
    _post(client, django_capture_on_commit_callbacks, email="oud@example.org")
    _post(client, django_capture_on_commit_callbacks, email="opgepakt@example.org")
    _post(client, django_capture_on_commit_callbacks, email="nieuw@example.org")
    old, taken, new = IntakeRequest.objects.order_by("pk")
    long_ago = timezone.now() - datetime.timedelta(days=200)
    IntakeRequest.objects.filter(pk__in=[old.pk, taken.pk]).update(created_at=long_ago)
    f.trajectory  # noqa: B018  (the builder is the services' path; here the take is direct)
    from trajectories import services
    from trajectories.models import TrajectoryKind, TrajectoryReason

    services.intake_take(
        adviser=cast.adviser,
        intake_request=taken,
        kind=TrajectoryKind.CAREER,
        reason=TrajectoryReason.DISMISSED,
    )
    report = retention.apply_retention(now=timezone.now(), days={"trajectory_notes": 1825})
    assert report["public_signups_deleted"] == 1
    assert not Participant.objects.filter(email="oud@example.org").exists()
    assert set(IntakeRequest.objects.values_list("pk", flat=True)) == {taken.pk, new.pk}
    assert Participant.objects.filter(email="opgepakt@example.org").exists()
