"""Members' own access: activation, own data, correction requests, the full data download."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from allauth.account.models import EmailAddress
from django.apps import apps
from django.core import mail
from django.core.cache import cache
from django.db import models
from django.urls import reverse

from audit.models import AuditEntry
from core.roles import Role
from members.datadownload import member_data, member_relations
from members.models import CorrectionRequest, Member, User
from tests.conftest import login
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def unactivated(db):
    return MemberFactory(
        member_number="1234567",
        postcode="3511 AB",
        birth_date=dt.date(1980, 2, 1),
        email="sanne@example.nl",
        first_name="Sanne",
    )


def ask(client, capture, number="1234567", postcode="3511ab", birth="1980-02-01"):
    with capture(execute=True):
        return client.post(
            reverse("members:activate"),
            {"member_number": number, "postcode": postcode, "birth_date": birth},
        )


def test_activation_mails_the_link_only_to_the_email_on_file(
    client, unactivated, django_capture_on_commit_callbacks
):
    response = ask(client, django_capture_on_commit_callbacks)
    assert response.status_code == 200
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["sanne@example.nl"]
    assert "/leden/activeren/" in mail.outbox[0].body


def test_the_answer_is_the_same_whether_or_not_the_member_exists(
    client, unactivated, django_capture_on_commit_callbacks
):
    known = ask(client, django_capture_on_commit_callbacks).content.decode()
    unknown = ask(client, django_capture_on_commit_callbacks, number="7654321").content.decode()
    wrong_birth = ask(client, django_capture_on_commit_callbacks, birth="1980-02-02").content

    def strip(html: str) -> str:  # per-response tokens differ; the answer must not
        html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
        return re.sub(r'nonce="[^"]+"', "", html)

    assert strip(known) == strip(unknown) == strip(wrong_birth.decode())
    assert len(mail.outbox) == 1


def test_activation_attempts_are_rate_limited(
    client, unactivated, django_capture_on_commit_callbacks
):
    for _ in range(5):
        ask(client, django_capture_on_commit_callbacks, birth="1970-01-01")
    response = ask(client, django_capture_on_commit_callbacks)
    assert response.status_code == 429
    assert not mail.outbox


def test_the_link_sets_a_password_and_creates_a_verified_member_account(
    client, unactivated, django_capture_on_commit_callbacks
):
    ask(client, django_capture_on_commit_callbacks)
    link = re.search(r"http\S+", mail.outbox[0].body).group(0)
    path = link.split("localhost:8000")[-1] if "localhost:8000" in link else link
    response = client.post(
        path, {"password1": "een-lang-wachtwoord-26", "password2": "een-lang-wachtwoord-26"}
    )
    assert response.status_code == 302
    unactivated.refresh_from_db()
    user = unactivated.user
    assert user.role == Role.MEMBER and user.email == "sanne@example.nl"
    assert user.check_password("een-lang-wachtwoord-26")
    assert EmailAddress.objects.get(user=user).verified
    again = client.get(path)
    assert again.status_code == 400  # the link works once


def test_a_forged_token_is_refused(client, unactivated):
    response = client.get(reverse("members:activate_confirm", kwargs={"token": "nep"}))
    assert response.status_code == 400
    assert not User.objects.filter(email="sanne@example.nl").exists()


def test_a_member_sees_only_their_own_data(client, cast):
    login(client, cast.member_user)
    html = client.get(reverse("members:my_data")).content.decode()
    assert cast.member.member_number in html
    assert cast.other_member.member_number not in html
    assert AuditEntry.objects.filter(subject_member_id=cast.member.pk, action="view").exists()


def test_a_correction_request_is_stored_and_mailed_to_admins(client, cast):
    login(client, cast.member_user)
    client.post(reverse("members:correction"), {"text": "Mijn adres is Kerkstraat 2."})
    correction = CorrectionRequest.objects.get()
    assert correction.member == cast.member
    assert mail.outbox and cast.admin.email in mail.outbox[0].to
    assert "Kerkstraat" not in mail.outbox[0].body  # the text stays in the portal


def test_the_download_holds_the_member_and_what_refers_to_them_as_json_and_html(client, cast):
    CorrectionRequest.objects.create(member=cast.member, text="Graag aanpassen")
    login(client, cast.member_user)
    response = client.get(reverse("members:my_data_download", kwargs={"fmt": "json"}))
    data = json.loads(response.content)
    assert data["members.member"][0]["lidnummer"] == cast.member.member_number
    assert data["members.correctionrequest"][0]["wat moet er anders"] == "Graag aanpassen"
    assert cast.other_member.member_number not in response.content.decode()
    html = client.get(reverse("members:my_data_download", kwargs={"fmt": "html"}))
    assert "attachment" in html["Content-Disposition"]
    assert "Graag aanpassen" in html.content.decode()
    assert AuditEntry.objects.filter(subject_member_id=cast.member.pk, action="export").count() == 2


def test_every_model_that_refers_to_member_is_in_the_download(cast):
    """Introspects all installed models: a model with a relation to Member that the download
    leaves out fails this test (models of other apps included)."""
    referring = {
        f"{model._meta.app_label}.{model._meta.model_name}"
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if isinstance(field, models.ForeignKey | models.OneToOneField | models.ManyToManyField)
        and field.related_model is Member
        and model is not Member
    }
    included = {
        f"{rel.related_model._meta.app_label}.{rel.related_model._meta.model_name}"
        for rel in member_relations()
    }
    assert referring <= included
    assert referring <= set(member_data(cast.member))


def test_the_data_download_names_staff_by_role_and_leaves_out_the_signals_work(cast, client):
    """The member's own data, not the officials': a signal their session lies behind brings
    neither the official's name nor the official's outcome text into the download."""
    import json

    from django.urls import reverse

    from signals import services as signal_services
    from signals.detection import run_detection
    from signals.models import Signal
    from tests.conftest import login
    from tests.factories import EmployerFactory
    from tests.signals.helpers import log_session

    cast.consultant.full_name = "Connie Consulentenberg"
    cast.consultant.save()
    cast.sector_official.full_name = "Sietske Sectorbestuurster"
    cast.sector_official.save()
    employer = EmployerFactory(sector=cast.sector)
    log_session(cast, employer=employer, member=cast.member, consent=True)
    log_session(cast, employer=employer)
    log_session(cast, employer=employer)
    run_detection(full=True)
    signal = Signal.objects.get(key=f"employer:{employer.pk}")
    signal_services.signal_acknowledge(signal=signal, by=cast.sector_official)
    signal.refresh_from_db()
    signal_services.signal_close(
        signal=signal, by=cast.sector_official, outcome="Gesprek met de directie op 12 mei"
    )

    login(client, cast.member_user)
    response = client.get(reverse("members:my_data_download", args=["json"]))
    text = json.dumps(
        json.loads(
            b"".join(response.streaming_content if response.streaming else [response.content])
        ),
        ensure_ascii=False,
    )
    assert "Connie Consulentenberg" not in text and "Sietske" not in text
    assert "Gesprek met de directie" not in text
    assert "Consulent (kaderlid)" in text  # who held the session, by role
