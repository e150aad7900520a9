"""An admin changes a public page in the portal: preview first, then save, then put the old
version back; a visitor sees each saved state and never the preview."""

from __future__ import annotations

import pytest

from pages.models import Page
from tests.e2e.conftest import log_in, serious_accessibility_violations

pytestmark = pytest.mark.e2e


def test_an_admin_previews_saves_and_restores_a_page(page, browser, live_server, live_cast):
    log_in(page, live_cast.admin)
    page.goto("/informatie/ontslag-wat-nu/")
    page.get_by_role("link", name="Deze pagina bewerken").click()
    page.get_by_label("Tekst").fill(
        "## Nieuw\n\nBel **eerst** het spreekuur. <script>alert(1)</script>"
    )
    page.get_by_label("Wat heb je veranderd?").fill("Korter")
    page.get_by_role("button", name="Voorbeeld").click()
    preview = page.locator("section.preview")
    assert preview.locator("strong").inner_text() == "eerst"
    assert "<script>alert(1)</script>" in preview.inner_text()  # shown as text, not run
    assert serious_accessibility_violations(page) == []

    visitor = browser.new_context(base_url=live_server.url).new_page()
    visitor.goto("/informatie/ontslag-wat-nu/")
    assert "Teken niets" in visitor.locator(".page-text").inner_text()  # nothing saved yet

    page.get_by_role("button", name="Opslaan").click()
    page.wait_for_url("**/informatie/ontslag-wat-nu/")
    assert "Opgeslagen als versie 2." in page.locator(".messages").inner_text()
    visitor.reload()
    assert "Bel eerst het spreekuur." in visitor.locator(".page-text").inner_text()

    page.get_by_role("link", name="Versies", exact=True).click()
    page.get_by_role("button", name="Versie 1 terugzetten").click()
    page.wait_for_url("**/informatie/ontslag-wat-nu/")
    visitor.reload()
    assert "Teken niets" in visitor.locator(".page-text").inner_text()
    assert Page.objects.get(slug="ontslag-wat-nu").versions.count() == 3
