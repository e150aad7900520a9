"""The region dashboard on a phone (375 px): nothing wider than the screen, no serious
accessibility violation, and the charts drawn."""

from __future__ import annotations

import pytest

from labourmarket.demo import EXAMPLE
from labourmarket.parsing import check_file
from labourmarket.services import import_figures
from tests.e2e.conftest import log_in, serious_accessibility_violations
from tests.factories import MemberFactory

pytestmark = pytest.mark.e2e


def test_the_dashboard_fits_a_phone_and_has_no_serious_violations(browser, live_server, live_cast):
    for _ in range(6):
        MemberFactory(region=live_cast.region, sector=live_cast.sector)
    checked = check_file(str(EXAMPLE), source="VOORBEELD")
    import_figures(user=live_cast.admin, checked=checked, filename=EXAMPLE.name, source="x")
    context = browser.new_context(
        base_url=live_server.url, locale="nl-NL", viewport={"width": 375, "height": 800}
    )
    page = context.new_page()
    try:
        log_in(page, live_cast.coordinator)
        for url in ("/dashboard/AM13/", "/dashboard/AM13/?print=1"):
            page.goto(url)
            assert page.locator("h1").count() == 1
            assert page.locator("svg[role=img]").count() > 5
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= 376, (url, width)
            assert serious_accessibility_violations(page) == [], url
    finally:
        context.close()
