"""Logging in: email and password, TOTP required for every staff role, rate limits."""

import pytest
from allauth.mfa.models import Authenticator
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from core.roles import Role
from members.adapters import MFAAdapter
from members.totp import current_totp_code
from tests.conftest import login
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_rate_limits():
    cache.clear()


def _password_step(client, user, password=PASSWORD, **extra):
    return client.post(
        reverse("account_login"), {"login": user.email, "password": password}, **extra
    )


def test_a_member_logs_in_with_email_and_password_and_lands_on_the_member_home(client):
    user = UserFactory(role=Role.MEMBER)
    response = _password_step(client, user)
    assert response.status_code == 302
    home = client.get(response["Location"], follow=True)
    assert home.context["user"] == user
    assert "home/member.html" in [template.name for template in home.templates]


@pytest.mark.parametrize("role", sorted(set(Role.values) - {Role.MEMBER}))
def test_every_staff_role_must_give_a_totp_code(client, role):
    user = UserFactory(role=role, is_staff=role == Role.ADMIN, is_superuser=role == Role.ADMIN)
    response = _password_step(client, user)
    assert response["Location"] == reverse("mfa_authenticate")
    assert not client.get(reverse("home")).context["user"].is_authenticated

    response = client.post(reverse("mfa_authenticate"), {"code": current_totp_code(user)})
    assert response.status_code == 302
    home = client.get(reverse("home"))
    assert home.context["user"] == user
    assert f"home/{role}.html" in [template.name for template in home.templates]


def test_a_wrong_code_does_not_log_in(client):
    user = UserFactory(role=Role.COORDINATOR)
    _password_step(client, user)
    wrong = "000000" if current_totp_code(user) != "000000" else "111111"
    response = client.post(reverse("mfa_authenticate"), {"code": wrong})
    assert response.status_code == 200
    assert not client.get(reverse("home")).context["user"].is_authenticated


def test_a_totp_code_works_only_once(client):
    user = UserFactory(role=Role.SECTOR_OFFICIAL)
    code = current_totp_code(user)
    _password_step(client, user)
    client.post(reverse("mfa_authenticate"), {"code": code})
    client.post(reverse("account_logout"))
    _password_step(client, user)
    response = client.post(reverse("mfa_authenticate"), {"code": code})
    assert response.status_code == 200
    # ... and says to wait for the next code, not only that it is wrong
    assert "wacht op de volgende code" in response.content.decode()
    assert not client.get(reverse("home")).context["user"].is_authenticated


def test_staff_without_totp_and_without_an_invitation_cannot_set_one_up(client):
    """A password alone must not attach a second factor (see tests/fnvregio/test_mfa_enrolment.py
    for the invitation)."""
    user = UserFactory(role=Role.CONSULTANT, totp=False)
    _password_step(client, user)
    for url in [
        reverse("home"),
        reverse("regions:list"),
        reverse("admin:index"),
        reverse("account_reauthenticate"),
        reverse("mfa_index"),
        reverse("mfa_activate_totp"),
    ]:
        response = client.get(url)
        assert response.status_code == 403
        assert "uitnodigingsmail" in response.content.decode()
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    client.post(reverse("mfa_activate_totp"), {"code": "123456"})
    assert not Authenticator.objects.filter(user=user).exists()


@pytest.mark.django_db(transaction=True)
def test_setting_up_totp_counts_as_the_second_factor(client):
    """allauth announces the new authenticator on commit: a transactional test lets that run
    inside the request, as it does in production."""
    from members.enrolment import invitation_link

    user = UserFactory(role=Role.ADVISER, totp=False)
    link = invitation_link(user)
    client.get(link[link.index("/accounts/") :])
    _password_step(client, user)
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    page = client.get(reverse("mfa_activate_totp"))
    secret = page.context["form"].secret
    from allauth.mfa.totp.internal.auth import (
        format_hotp_value,
        hotp_value,
        yield_hotp_counters_from_time,
    )

    code = format_hotp_value(hotp_value(secret, list(yield_hotp_counters_from_time())[1]))
    response = client.post(reverse("mfa_activate_totp"), {"code": code})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=user, type="totp").exists()
    home = client.get(reverse("home"))
    assert home.status_code == 200, home.get("Location")
    assert home.context["user"] == user


def test_a_staff_session_without_the_second_factor_is_ended(client):
    user = UserFactory(role=Role.COORDINATOR)
    client.force_login(user, backend="members.backends.ModelBackend")
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert not client.get(reverse("home")).context["user"].is_authenticated


def test_the_totp_secret_is_stored_encrypted(client):
    user = UserFactory(role=Role.ADMIN, totp=False)
    from allauth.mfa.totp.internal.auth import TOTP

    TOTP.activate(user, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
    stored = Authenticator.objects.get(user=user, type="totp").data["secret"]
    assert "JBSWY3DP" not in stored
    assert MFAAdapter().decrypt(stored) == "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def test_the_admin_logs_in_through_the_portal_login(client):
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert client.get("/beheer/login/").status_code == 302


def test_a_password_reset_does_not_log_in_or_skip_the_second_factor(client):
    user = UserFactory(role=Role.REGIONAL_OFFICIAL)
    client.post(reverse("account_reset_password"), {"email": user.email})
    assert len(mail.outbox) == 1
    link = next(
        line for line in mail.outbox[0].body.splitlines() if "/password/reset/key/" in line
    ).strip()
    path = link[link.index("/accounts/") :]
    form_page = client.get(path, follow=True)
    response = client.post(
        form_page.redirect_chain[-1][0] if form_page.redirect_chain else path,
        {
            "password1": "een-nieuw-sterk-wachtwoord-99",
            "password2": "een-nieuw-sterk-wachtwoord-99",
        },
    )
    assert response.status_code == 302
    assert not client.get(reverse("home")).context["user"].is_authenticated
    response = _password_step(client, user, password="een-nieuw-sterk-wachtwoord-99")
    assert response["Location"] == reverse("mfa_authenticate")


def test_failed_logins_are_limited_per_account_and_address(client):
    user = UserFactory(role=Role.MEMBER)
    for _ in range(5):
        _password_step(client, user, password="fout-wachtwoord", REMOTE_ADDR="198.51.100.1")
    response = _password_step(client, user, REMOTE_ADDR="198.51.100.1")
    assert response.status_code in (200, 429)
    assert not client.get(reverse("home")).context["user"].is_authenticated


def test_a_flood_from_other_addresses_does_not_lock_the_real_person_out(client):
    user = UserFactory(role=Role.MEMBER)
    for attacker in range(10):
        for _ in range(5):
            _password_step(
                client, user, password="fout-wachtwoord", REMOTE_ADDR=f"203.0.113.{attacker}"
            )
    response = _password_step(client, user, REMOTE_ADDR="192.0.2.55")
    assert response.status_code == 302
    assert client.get(reverse("home")).context["user"] == user


def test_the_session_key_changes_at_login_and_logout_ends_it(client):
    user = UserFactory(role=Role.MEMBER)
    client.get(reverse("account_login"))
    before = client.session.session_key
    _password_step(client, user)
    after = client.session.session_key
    assert after != before
    client.post(reverse("account_logout"))
    from django.contrib.sessions.models import Session

    assert not Session.objects.filter(session_key=after).exists()


def test_staff_sessions_expire_after_inactivity(client, settings):
    user = UserFactory(role=Role.CONSULTANT)
    login(client, user)
    client.get(reverse("home"))
    assert client.session.get_expiry_age() == settings.STAFF_SESSION_IDLE_SECONDS


def test_a_staff_sessions_idle_clock_is_moved_at_most_once_a_minute(client, monkeypatch):
    """Moving the clock writes the session; doing it on every page cost a write per request."""
    import time as time_module

    from django.contrib.sessions.models import Session

    from fnvregio import middleware

    user = UserFactory(role=Role.CONSULTANT)
    login(client, user)
    client.get(reverse("home"))
    key = client.session.session_key
    first = Session.objects.get(session_key=key).expire_date

    now = time_module.time()
    monkeypatch.setattr(middleware.time, "time", lambda: now + 30)
    client.get(reverse("home"))
    assert Session.objects.get(session_key=key).expire_date == first

    monkeypatch.setattr(
        middleware.time, "time", lambda: now + middleware.STAFF_SESSION_TOUCH_SECONDS + 5
    )
    client.get(reverse("home"))
    assert Session.objects.get(session_key=key).expire_date > first


def _wrong_code(user) -> str:
    valid = {current_totp_code(user, offset) for offset in (-1, 0, 1)}
    return next(code for code in ("000000", "111111", "222222", "333333") if code not in valid)


def test_wrong_codes_from_one_address_do_not_block_the_right_code_from_another():
    """Whoever knows a staff password could lock the real person's second factor: allauth
    counted wrong codes per account alone. Now per account and address."""
    user = UserFactory(role=Role.COORDINATOR)
    attacker = Client(REMOTE_ADDR="203.0.113.7")
    _password_step(attacker, user)
    for _ in range(5):
        response = attacker.post(reverse("mfa_authenticate"), {"code": _wrong_code(user)})
        assert response.status_code == 200

    real = Client(REMOTE_ADDR="192.0.2.44")
    _password_step(real, user)
    response = real.post(reverse("mfa_authenticate"), {"code": current_totp_code(user)})
    assert response.status_code == 302
    assert real.get(reverse("home")).context["user"] == user

    # the address that guessed is still limited, even with a valid code
    response = attacker.post(reverse("mfa_authenticate"), {"code": current_totp_code(user, 1)})
    assert response.status_code == 200
    assert not attacker.get(reverse("home")).context["user"].is_authenticated
