"""First enrolment of a staff member's second factor needs the invitation link, not only the
password; an admin's reset removes the authenticator and mails a fresh one-time link."""

import io
import re

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import (
    format_hotp_value,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.core import mail
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from core.roles import Role
from members import enrolment
from members.adapters import MFAAdapter
from members.models import User
from tests.conftest import login
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()


def _path(link: str) -> str:
    return link[link.index("/accounts/") :]


def _link_in(message) -> str:
    return _path(re.search(r"http\S+/accounts/tweede-factor/\S+", message.body).group(0))


def _enrol(client, user, password=PASSWORD) -> object:
    """Log in with the password and set up TOTP; returns the activation response."""
    client.post(reverse("account_login"), {"login": user.email, "password": password})
    client.post(reverse("account_reauthenticate"), {"password": password})
    page = client.get(reverse("mfa_activate_totp"))
    if page.status_code != 200 or "form" not in (page.context or {}):
        return page
    secret = page.context["form"].secret
    code = format_hotp_value(hotp_value(secret, list(yield_hotp_counters_from_time())[1]))
    return client.post(reverse("mfa_activate_totp"), {"code": code})


def test_with_only_the_password_a_staff_member_sees_where_to_go_and_cannot_enrol(client):
    user = UserFactory(role=Role.COORDINATOR, totp=False)
    response = _enrol(client, user)
    assert response.status_code == 403
    html = response.content.decode()
    assert "uitnodigingsmail" in html and "beheerder" in html
    assert not Authenticator.objects.filter(user=user).exists()


def test_the_activation_form_itself_refuses_staff_without_an_invitation(client, settings):
    """Defence in depth: also without the middleware, no TOTP without the invitation."""
    settings.MIDDLEWARE = [
        name for name in settings.MIDDLEWARE if not name.endswith("StaffTwoFactorMiddleware")
    ]
    user = UserFactory(role=Role.CONSULTANT, totp=False)
    response = _enrol(client, user)
    assert response.status_code == 200
    assert "uitnodigingsmail" in response.content.decode()
    assert not Authenticator.objects.filter(user=user).exists()


def test_the_invitation_link_lets_the_invited_person_enrol_once(client):
    user = UserFactory(role=Role.ADVISER, totp=False)
    link = _path(enrolment.invitation_link(user))
    response = client.get(link)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    response = _enrol(client, user)
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=user, type="totp").exists()

    assert Client().get(link).status_code == 400  # spent


def test_someone_else_with_the_password_cannot_use_another_sessions_invitation(client):
    user = UserFactory(role=Role.ADVISER, totp=False)
    Client().get(_path(enrolment.invitation_link(user)))  # the real person's browser
    response = _enrol(client, user)  # the attacker's, with the password only
    assert response.status_code == 403
    assert not Authenticator.objects.filter(user=user).exists()


def test_a_newer_invitation_replaces_the_older_one_and_forged_links_fail(client):
    user = UserFactory(role=Role.ADVISER, totp=False)
    old = _path(enrolment.invitation_link(user))
    enrolment.invitation_link(user)
    assert client.get(old).status_code == 400
    current = _path(enrolment.invitation_link(user))
    user.email = "verhuisd@example.nl"
    user.save(update_fields=["email"])
    assert client.get(current).status_code == 400  # mailed to the address it had then
    assert client.get(reverse("mfa_invitation", kwargs={"token": "nep"})).status_code == 400


def test_the_admin_action_removes_the_second_factor_and_mails_a_one_time_link(client, cast):
    staff = cast.consultant
    assert Authenticator.objects.filter(user=staff).exists()
    login(client, cast.admin)
    response = client.post(
        reverse("admin:members_user_changelist"),
        {"action": "reset_second_factor", "_selected_action": [staff.pk]},
    )
    assert response.status_code == 302
    assert not Authenticator.objects.filter(user=staff).exists()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [staff.email]
    link = _link_in(mail.outbox[0])

    person = Client()
    assert person.get(link).status_code == 302
    assert _enrol(person, staff).status_code == 302
    assert Authenticator.objects.filter(user=staff, type="totp").exists()


def test_a_staff_account_made_in_the_admin_gets_its_invitation(client, cast):
    login(client, cast.admin)
    response = client.post(
        reverse("admin:members_user_add"),
        {
            "email": "nieuw@example.nl",
            "full_name": "Nieuwe Medewerker",
            "role": Role.CONSULTANT,
            "password1": "een-sterk-wachtwoord-77",
            "password2": "een-sterk-wachtwoord-77",
            "usable_password": "true",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert User.objects.filter(email="nieuw@example.nl").exists()
    assert [message.to for message in mail.outbox] == [["nieuw@example.nl"]]
    assert "/accounts/tweede-factor/" in mail.outbox[0].body

    # the link proves the mailbox: no separate verification mail before the first login
    person = Client()
    person.get(_link_in(mail.outbox[0]))
    staff = User.objects.get(email="nieuw@example.nl")
    assert _enrol(person, staff, password="een-sterk-wachtwoord-77").status_code == 302
    assert Authenticator.objects.filter(user=staff, type="totp").exists()
    assert len(mail.outbox) == 1


def test_the_mfa_invite_command_mails_a_link_for_the_first_admin(client):
    admin = User.objects.create_superuser("eerste@example.nl", PASSWORD)
    out = io.StringIO()
    call_command("mfa_invite", "eerste@example.nl", stdout=out)
    assert "Uitnodiging verstuurd" in out.getvalue()
    person = Client()
    assert person.get(_link_in(mail.outbox[0])).status_code == 302
    assert _enrol(person, admin).status_code == 302


def test_staff_cannot_remove_their_own_second_factor():
    user = UserFactory(role=Role.CONSULTANT)
    totp = Authenticator.objects.get(user=user, type="totp")
    assert not MFAAdapter().can_delete_authenticator(totp)


def test_the_link_leads_through_the_login_to_the_activation_page(client):
    """The journey in a browser: link, login, allauth's password confirmation, activation."""
    user = UserFactory(role=Role.COORDINATOR, totp=False)
    page = client.get(_path(enrolment.invitation_link(user)), follow=True)
    assert "Log in met je e-mailadres en wachtwoord" in page.content.decode()
    login_url = page.redirect_chain[-1][0]
    response = client.post(login_url, {"login": user.email, "password": PASSWORD}, follow=True)
    confirm_url = response.redirect_chain[-1][0]
    assert confirm_url.startswith(reverse("account_reauthenticate"))
    response = client.post(confirm_url, {"password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("mfa_activate_totp")
    assert response.status_code == 200 and "form" in response.context
