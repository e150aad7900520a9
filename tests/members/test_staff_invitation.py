"""The invitation of a new staff account (no password yet): the link asks for a password, logs
the person in and continues to the TOTP set-up; it works once, expires, and a newer one
replaces it."""

from __future__ import annotations

import re

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import (
    format_hotp_value,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.core import mail, signing
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from audit.models import AuditEntry
from core.roles import Role
from members import enrolment
from members.models import User

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "groene-fiets-op-de-dijk"


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()


@pytest.fixture
def reference(db):
    """The regions, also when an earlier transactional test left an emptied database."""
    from tests.conftest import ensure_reference_data

    ensure_reference_data()


@pytest.fixture
def newcomer(reference, cast) -> User:
    """An account as the staff import makes it: no password, no second factor, no mail yet."""
    user = User(email="nieuw.collega@example.nl", full_name="Noor Nieuw", role=Role.CONSULTANT)
    user.set_unusable_password()
    user.save()
    user.union_houses.add(cast.union_house)
    return user


def _path(link: str) -> str:
    return link[link.index("/accounts/") :]


def _link_in(message) -> str:
    return _path(re.search(r"http\S+/accounts/tweede-factor/\S+", message.body).group(0))


def _choose(client: Client, link: str, password: str = NEW_PASSWORD, again: str | None = None):
    return client.post(link, {"password1": password, "password2": again or password})


def _activate_totp(client: Client):
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200, page.status_code
    secret = page.context["form"].secret
    code = format_hotp_value(hotp_value(secret, list(yield_hotp_counters_from_time())[1]))
    return client.post(reverse("mfa_activate_totp"), {"code": code})


def test_the_mail_for_an_account_without_password_asks_to_choose_one(newcomer):
    enrolment.send_invitation(newcomer)
    (message,) = mail.outbox
    assert message.to == ["nieuw.collega@example.nl"]
    assert "wachtwoord te kiezen" in message.body and "Beste Noor" in message.body


@pytest.mark.django_db(transaction=True)  # allauth records the TOTP step on commit
def test_the_link_sets_a_password_then_totp_and_lands_home(client, newcomer):
    enrolment.send_invitation(newcomer)
    link = _link_in(mail.outbox[0])
    page = client.get(link)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Kies je wachtwoord" in html and "nieuw.collega@example.nl" in html
    newcomer.refresh_from_db()
    assert not newcomer.has_usable_password()  # a GET changes nothing

    response = _choose(client, link)
    assert response.status_code == 302 and response["Location"] == reverse("mfa_activate_totp")
    newcomer.refresh_from_db()
    assert newcomer.check_password(NEW_PASSWORD)
    assert AuditEntry.objects.filter(
        object_id=str(newcomer.pk), detail="wachtwoord gekozen via de uitnodiging"
    ).exists()

    # logged in, and no second password prompt before the TOTP set-up
    response = _activate_totp(client)
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=newcomer, type="totp").exists()
    home = client.get("/")
    assert home.status_code == 200
    assert "Consulent (kaderlid)" in home.content.decode()

    # the link is spent: not for this browser, not for another one
    assert client.get(link).status_code == 400
    assert Client().get(link).status_code == 400


def test_after_the_password_the_link_no_longer_offers_the_password_form(client, newcomer):
    link = _path(enrolment.invitation_link(newcomer))
    _choose(client, link)
    other = Client()
    response = other.get(link)
    # the same link may still lead to the login (TOTP is not set up yet), never to a new password
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))
    assert _choose(other, link, password="iemand-anders-123456").status_code == 302
    newcomer.refresh_from_db()
    assert newcomer.check_password(NEW_PASSWORD)


def test_a_weak_or_mismatched_password_changes_nothing_and_says_what_to_fix(client, newcomer):
    link = _path(enrolment.invitation_link(newcomer))
    response = _choose(client, link, password="kort")
    assert response.status_code == 200
    assert "10 tekens" in response.content.decode()
    response = _choose(client, link, password=NEW_PASSWORD, again=NEW_PASSWORD + "x")
    assert "niet gelijk" in response.content.decode()
    response = _choose(client, link, password="nieuw.collega@example")
    assert response.status_code == 200
    assert "lijkt te veel op" in response.content.decode()  # like the account's address
    newcomer.refresh_from_db()
    assert not newcomer.has_usable_password()
    assert "_auth_user_id" not in client.session


def test_a_newer_invitation_replaces_the_older_and_an_expired_one_fails(
    client, newcomer, monkeypatch
):
    old = _path(enrolment.invitation_link(newcomer))
    current = _path(enrolment.invitation_link(newcomer))
    assert client.get(old).status_code == 400
    assert _choose(client, old).status_code == 400
    newcomer.refresh_from_db()
    assert not newcomer.has_usable_password()

    real_loads = signing.loads

    def later(*args, **kwargs):  # eight days on: the signature's age is past INVITATION_DAYS
        kwargs["max_age"] = kwargs["max_age"] - 8 * 24 * 3600
        return real_loads(*args, **kwargs)

    monkeypatch.setattr(enrolment.signing, "loads", later)
    assert client.get(current).status_code == 400
    assert _choose(client, current).status_code == 400


def test_a_deactivated_account_cannot_use_its_invitation(client, newcomer):
    link = _path(enrolment.invitation_link(newcomer))
    newcomer.is_active = False
    newcomer.save(update_fields=["is_active"])
    assert _choose(client, link).status_code == 400
    newcomer.refresh_from_db()
    assert not newcomer.has_usable_password()


def test_someone_logged_in_as_another_user_is_logged_out_first(client, cast, newcomer):
    from tests.conftest import login

    login(client, cast.admin)
    link = _path(enrolment.invitation_link(newcomer))
    _choose(client, link)
    assert client.session["_auth_user_id"] == str(newcomer.pk)
