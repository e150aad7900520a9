"""A new staff member sets up the second factor in a browser, through the invitation link only."""

import time

import pytest
from allauth.mfa import app_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

from core.roles import Role
from members import enrolment
from tests.e2e.conftest import serious_accessibility_violations
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.e2e


def _log_in_with_password(page, user):
    page.get_by_label("E-mailadres").fill(user.email)
    page.get_by_label("Wachtwoord", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()


def test_without_the_link_a_password_only_shows_where_to_go(page, live_cast):
    user = UserFactory(role=Role.ADVISER, totp=False)
    page.goto("/accounts/login/")
    _log_in_with_password(page, user)
    page.wait_for_load_state("networkidle")
    assert "uitnodigingsmail" in page.locator("main").inner_text()
    assert serious_accessibility_violations(page) == []
    page.goto("/accounts/2fa/totp/activate/")
    assert "uitnodigingsmail" in page.locator("main").inner_text()
    assert not Authenticator.objects.filter(user=user).exists()


def test_a_new_staff_member_enrols_through_the_invitation_link(page, live_cast):
    user = UserFactory(role=Role.CONSULTANT, totp=False)
    link = enrolment.invitation_link(user)
    page.goto(link[link.index("/accounts/") :])
    page.wait_for_url("**/accounts/login/**")
    _log_in_with_password(page, user)
    page.wait_for_url("**/accounts/reauthenticate/**")
    page.locator("input[name=password]").fill(PASSWORD)
    page.get_by_role("button", name="Bevestigen").click()
    page.wait_for_url("**/accounts/2fa/totp/activate/**")
    secret = page.locator("#authenticator_secret").input_value()
    counter = int(time.time()) // app_settings.TOTP_PERIOD
    page.locator("input[name=code]").fill(format_hotp_value(hotp_value(secret, counter)))
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_load_state("networkidle")
    assert Authenticator.objects.filter(user=user, type="totp").exists()
    page.goto("/")
    assert page.locator(".role-badge").inner_text() == "Consulent (kaderlid)"
