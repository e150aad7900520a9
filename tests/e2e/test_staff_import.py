"""Setting up a region: an admin imports a staff file in the admin (preview, then confirm); a new
consultant opens the invitation mail's link, chooses a password, sets up TOTP and lands home."""

from __future__ import annotations

import re
import time

import pytest
from allauth.mfa import app_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.core import mail
from django.core.cache import cache

from members.models import User
from tests.e2e.conftest import log_in, serious_accessibility_violations
from tests.members.helpers import SAMPLES

pytestmark = pytest.mark.e2e

NEW_PASSWORD = "fietsen-langs-de-vecht-42"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()


def test_an_admin_imports_staff_and_a_consultant_activates_the_invitation(
    page, browser, live_server, live_cast
):
    log_in(page, live_cast.admin)
    page.goto("/beheer/members/user/")
    page.get_by_role("link", name="Importeren", exact=True).click()
    page.get_by_label("Bestand om te importeren").set_input_files(
        str(SAMPLES / "staff-example.csv")
    )
    # left unticked: the people already in the portal stay active
    assert not page.get_by_label("Accounts die niet in het bestand staan deactiveren").is_checked()
    assert serious_accessibility_violations(page) == []
    page.get_by_role("button", name="Indienen").click()

    info = page.locator(".messagelist .info").first
    info.wait_for()
    assert "Dit bestand maakt 7 nieuwe account(s)" in info.inner_text()
    # the cast's staff of AM13, AM18, Handel and the two houses are not in the file: counted
    missing = page.locator(".messagelist .info").nth(1).inner_text()
    assert "8 account(s) met een rol en werkgebied uit dit bestand staan er niet in" in missing
    assert "ze blijven actief" in missing and "consulent@example.nl" in missing
    assert not User.objects.filter(email="anneke.dekker@example.nl").exists()  # a preview
    assert mail.outbox == []

    page.get_by_role("button", name="Accepteer de import").click()
    success = page.locator(".messagelist .success")
    success.wait_for()
    assert "7 nieuw (uitnodiging verstuurd)" in success.inner_text()
    assert "0 gedeactiveerd" in success.inner_text()
    assert User.objects.get(email="consulent@example.nl").is_active
    assert len(mail.outbox) == 7

    # Anneke reads her mail in her own browser
    (message,) = [m for m in mail.outbox if m.to == ["anneke.dekker@example.nl"]]
    link = re.search(r"http\S+/accounts/tweede-factor/\S+", message.body).group(0)
    context = browser.new_context(base_url=live_server.url, locale="nl-NL")
    anneke = context.new_page()
    try:
        anneke.goto(link[link.index("/accounts/") :])
        anneke.get_by_role("heading", name="Kies je wachtwoord").wait_for()
        assert serious_accessibility_violations(anneke) == []
        anneke.get_by_label("Wachtwoord", exact=False).first.fill(NEW_PASSWORD)
        anneke.get_by_label("Wachtwoord (nog een keer)").fill(NEW_PASSWORD)
        anneke.get_by_role("button", name="Wachtwoord instellen en verder").click()

        anneke.wait_for_url("**/accounts/2fa/totp/activate/**")
        secret = anneke.locator("#authenticator_secret").input_value()
        counter = int(time.time()) // app_settings.TOTP_PERIOD
        anneke.locator("input[name=code]").fill(format_hotp_value(hotp_value(secret, counter)))
        anneke.locator("main form button[type=submit]").last.click()
        anneke.wait_for_load_state("networkidle")
        user = User.objects.get(email="anneke.dekker@example.nl")
        assert Authenticator.objects.filter(user=user, type="totp").exists()

        anneke.goto("/")
        assert anneke.locator(".role-badge").inner_text() == "Consulent (kaderlid)"
        assert serious_accessibility_violations(anneke) == []

        # the link worked once
        anneke.goto(link[link.index("/accounts/") :])
        assert "Deze link werkt niet (meer)" in anneke.locator("main").inner_text()
    finally:
        context.close()
