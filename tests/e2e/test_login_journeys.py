"""Every role logs in through the real login form (TOTP for staff) and reaches its home page;
axe-core finds no serious or critical violation on the pages they see."""

import pytest

from tests.e2e.conftest import log_in, serious_accessibility_violations

pytestmark = pytest.mark.e2e

ROLE_HEADINGS = {
    "member_user": "Lid",
    "consultant": "Consulent (kaderlid)",
    "adviser": "Trajectadviseur",
    "regional_official": "Regiobestuurder",
    "coordinator": "Regiocoördinator",
    "sector_official": "Sectorbestuurder",
    "admin": "Beheerder",
}


@pytest.mark.parametrize("who", list(ROLE_HEADINGS))
def test_each_role_logs_in_and_sees_its_home_page(page, live_cast, who):
    user = getattr(live_cast, who)
    log_in(page, user)
    assert page.url == page.context.pages[0].url and page.url.endswith("/")
    assert page.locator(".role-badge").inner_text() == ROLE_HEADINGS[who]
    assert page.get_by_role("heading", level=1).inner_text().startswith("Welkom")
    assert serious_accessibility_violations(page) == []


def test_public_pages_have_no_serious_accessibility_violations(page, live_cast):
    for path in ["/", "/accounts/login/", "/regios/", "/regios/AM13/"]:
        page.goto(path)
        assert page.locator("html").get_attribute("lang") == "nl"
        assert serious_accessibility_violations(page) == [], path


def test_the_region_map_links_to_each_region(page, live_cast):
    page.goto("/regios/")
    assert page.locator("svg a").count() == 35
    page.locator("svg a[aria-label='Midden-Utrecht']").click()
    page.wait_for_url("**/regios/AM13/")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Midden-Utrecht")


def test_a_staff_member_without_the_code_does_not_get_in(page, live_cast):
    page.goto("/accounts/login/")
    page.get_by_label("E-mailadres").fill(live_cast.coordinator.email)
    page.get_by_label("Wachtwoord", exact=True).fill("een-sterk-wachtwoord-2026")
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url("**/accounts/2fa/authenticate/**")
    page.goto("/")
    assert page.locator(".role-badge").count() == 0
    assert page.get_by_role("link", name="Inloggen").count() >= 1
