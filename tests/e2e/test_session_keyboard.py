"""Logging a session by keyboard alone, from the home page to a saved session: the skip link,
the first useful field focused, date and time folded to "now", the themes filtered as you
type and Ctrl+Enter to save. At most 15 Tabs (#15 item 5)."""

from __future__ import annotations

import re

import pytest

from signals.models import ConsultationSession
from tests.e2e.conftest import log_in, serious_accessibility_violations
from tests.factories import EmployerFactory
from tests.signals.helpers import theme

pytestmark = pytest.mark.e2e

MAX_TABS = 15


class Keyboard:
    """Presses keys and counts the Tabs."""

    def __init__(self, page):
        self.page = page
        self.tabs = 0

    def tab(self, times: int = 1) -> None:
        for _ in range(times):
            self.page.keyboard.press("Tab")
            self.tabs += 1

    def tab_until(self, predicate: str, limit: int = 40) -> None:
        """Tab until the focused element matches the JavaScript predicate `el => ...`."""
        for _ in range(limit):
            self.tab()
            if self.page.evaluate(f"({predicate})(document.activeElement)"):
                return
        raise AssertionError(f"not reached within {limit} Tabs: {predicate}")

    def focused(self, expression: str = "el => el.id"):
        return self.page.evaluate(f"({expression})(document.activeElement)")


def test_a_session_is_logged_from_the_home_page_in_at_most_15_tabs(page, live_cast):
    theme("Ontslag")
    theme("Loon")
    employer = EmployerFactory(name="Albert Heijn B.V.", aliases=["AH"], sector=live_cast.sector)
    log_in(page, live_cast.consultant)
    page.goto("/")
    keys = Keyboard(page)

    # The skip link is the first stop; it passes the header.
    keys.tab()
    assert keys.focused("el => el.textContent.trim()") == "Naar de inhoud"
    page.keyboard.press("Enter")
    keys.tab_until("el => el.getAttribute('href') === '/spreekuren/nieuw/'")
    page.keyboard.press("Enter")
    page.wait_for_url("**/spreekuren/nieuw/")
    page.wait_for_load_state("networkidle")

    # The first useful field has the focus; date and time say "now" behind a button.
    assert keys.focused() == "id_member_number"
    assert page.get_by_text(
        re.compile(r"Datum en tijd: nu \(\w\w \d+ \w+, \d\d:\d\d\)")
    ).is_visible()
    assert not page.get_by_label("Datum en tijd").is_visible()
    hint = page.locator("#keyboard-hint").inner_text()
    assert "Ctrl+Enter (op een Mac Cmd+Enter) slaat op, vanuit elk veld" in hint
    assert "Enter in de samenvatting begint een nieuwe regel" in hint
    assert serious_accessibility_violations(page) == []

    page.keyboard.type(live_cast.member.member_number)
    keys.tab_until("el => el.id === 'id_employer_query'")
    page.keyboard.type("AH")
    page.get_by_label("Albert Heijn B.V.").wait_for()
    keys.tab()  # into the matches
    page.keyboard.press("Space")
    assert page.get_by_label("Albert Heijn B.V.").is_checked()

    keys.tab_until("el => el.id === 'theme-filter'")
    page.keyboard.type("ontsl")
    status = page.locator("#theme-count")
    assert status.inner_text() == "1 thema zichtbaar"
    assert not page.get_by_label("Loon", exact=True).is_visible()
    page.keyboard.press("Enter")  # to the first match, without sending the form
    assert keys.focused("el => el.labels[0].textContent") == "Ontslag"
    page.keyboard.press("Space")

    keys.tab_until("el => el.id === 'id_summary'")
    page.keyboard.type("Eerste regel")
    page.keyboard.press("Enter")  # a new line, not a save
    page.keyboard.type("tweede regel")
    assert ConsultationSession.objects.count() == 0
    page.keyboard.press("Control+Enter")
    page.get_by_text("Het gesprek is vastgelegd.").wait_for()

    print(f"\nTabs from the home page to a saved session: {keys.tabs}")
    assert keys.tabs <= MAX_TABS
    session = ConsultationSession.objects.get()
    assert session.member == live_cast.member
    assert session.employer == employer
    assert [t.name for t in session.themes.all()] == ["Ontslag"]
    assert session.summary.splitlines() == ["Eerste regel", "tweede regel"]


def test_the_date_and_time_can_still_be_changed(page, live_cast):
    log_in(page, live_cast.consultant)
    page.goto("/spreekuren/nieuw/")
    page.get_by_role("button", name="Wijzigen").click()
    field = page.get_by_label("Datum en tijd")
    assert field.is_visible()
    assert page.evaluate("document.activeElement.id") == "id_at"


def test_without_javascript_the_date_and_time_show(browser, live_server, live_cast):
    context = browser.new_context(
        base_url=live_server.url, locale="nl-NL", java_script_enabled=False
    )
    page = context.new_page()
    try:
        log_in(page, live_cast.consultant)
        page.goto("/spreekuren/nieuw/")
        assert page.get_by_label("Datum en tijd").is_visible()
        assert not page.get_by_role("button", name="Wijzigen").is_visible()
        assert page.get_by_text("Tab naar de knop onderaan en Enter om op te slaan").is_visible()
    finally:
        context.close()
