"""A consultant logs a session through the real form with a referral to the legal department
and the member's consent; the legal department (password and TOTP) accepts it and closes it
with an outcome; the consultant reads the outcome on "Mijn doorverwijzingen"."""

from __future__ import annotations

import pytest

from referrals.models import Referral, Status
from tests.e2e.conftest import log_in, serious_accessibility_violations
from tests.signals.helpers import theme

pytestmark = pytest.mark.e2e


def test_a_referral_to_the_legal_department_is_accepted_closed_and_its_outcome_read(
    browser, live_server, live_cast
):
    theme("Ontslag")
    consultant = browser.new_context(base_url=live_server.url, locale="nl-NL")
    consultant.set_default_timeout(15000)
    page = consultant.new_page()
    log_in(page, live_cast.consultant)
    page.goto("/spreekuren/nieuw/")
    page.get_by_label("Lidnummer").fill(live_cast.member.member_number)
    page.get_by_label("Ontslag", exact=True).check()
    page.get_by_label("Korte samenvatting (vertrouwelijk)").fill(
        "Ontslag op staande voet na ziekmelding"
    )
    page.get_by_label("Juridische hulp").check()
    page.get_by_label("Het lid geeft toestemming om naam en samenvatting door te geven").check()
    page.get_by_role("button", name="Gesprek opslaan").click()
    page.get_by_text("Het gesprek is vastgelegd.").wait_for()
    referral = Referral.objects.get()
    assert referral.kind == "legal" and referral.consent

    legal = browser.new_context(base_url=live_server.url, locale="nl-NL")
    legal.set_default_timeout(15000)
    desk = legal.new_page()
    log_in(desk, live_cast.legal)  # password, then the TOTP code
    desk.get_by_role("link", name="Doorverwijzingen").first.click()
    desk.get_by_role("heading", level=1, name="Doorverwijzingen").wait_for()
    assert serious_accessibility_violations(desk) == []
    desk.get_by_role("link", name=f"Doorverwijzing {referral.pk}", exact=True).click()
    desk.get_by_text(live_cast.member.display_name).wait_for()
    desk.get_by_text("Ontslag op staande voet na ziekmelding").wait_for()
    assert serious_accessibility_violations(desk) == []
    desk.get_by_role("button", name="Oppakken").click()
    desk.get_by_text("Je hebt de doorverwijzing opgepakt.").wait_for()
    desk.get_by_label("Uitkomst").fill("Bezwaar ingediend; het ontslag is ingetrokken.")
    desk.get_by_role("button", name="Afronden met deze uitkomst").click()
    desk.get_by_text("De doorverwijzing is afgerond.").wait_for()
    legal.close()
    referral.refresh_from_db()
    assert referral.status == Status.DONE and referral.closed_by == live_cast.legal

    page.goto("/doorverwijzingen/mijn/")
    page.get_by_text("Bezwaar ingediend; het ontslag is ingetrokken.").wait_for()
    assert serious_accessibility_violations(page) == []
    consultant.close()
