"""A consultant logs three sessions about one employer (keyboard only, on a phone), detection
runs, and the sector official sees the signal, acknowledges it and closes it."""

from __future__ import annotations

import pytest

from signals.detection import run_detection
from signals.models import Signal, SignalStatus
from tests.e2e.conftest import log_in, serious_accessibility_violations
from tests.factories import EmployerFactory
from tests.signals.helpers import theme

# With the page cache on, as in production: the new-session form comes from the cache after its
# first showing (with this browser's own CSRF token), and each logged session renews it.
pytestmark = [pytest.mark.e2e, pytest.mark.page_cache]


def _log_session_by_keyboard(page) -> None:
    page.goto("/spreekuren/nieuw/")
    page.get_by_label("Geen lid").check()
    search = page.get_by_label("Werkgever zoeken")
    search.focus()
    page.keyboard.type("AH")
    choice = page.get_by_label("Albert Heijn B.V.")
    choice.wait_for()
    search.focus()
    page.keyboard.press("Tab")  # into the list of matches
    page.keyboard.press("Space")
    assert choice.is_checked()
    page.get_by_label("Ontslag").focus()
    page.keyboard.press("Space")
    page.get_by_role("button", name="Gesprek opslaan").focus()
    page.keyboard.press("Enter")
    page.get_by_text("Het gesprek is vastgelegd.").wait_for()


def test_three_sessions_become_a_signal_that_the_sector_official_closes(
    browser, live_server, live_cast, monkeypatch
):
    from fnvregio.pagecache import PageCacheMiddleware

    served: list[str] = []
    serve = PageCacheMiddleware._serve

    def counting(self, request, entry):
        served.append(request.path)
        return serve(self, request, entry)

    monkeypatch.setattr(PageCacheMiddleware, "_serve", counting)
    theme("Ontslag")
    employer = EmployerFactory(
        name="Albert Heijn B.V.", aliases=["AH", "Albert Heijn"], sector=live_cast.sector
    )
    phone = browser.new_context(
        base_url=live_server.url, locale="nl-NL", viewport={"width": 390, "height": 844}
    )
    phone.set_default_timeout(15000)
    page = phone.new_page()
    log_in(page, live_cast.consultant)
    page.goto("/spreekuren/nieuw/")
    assert serious_accessibility_violations(page) == []
    for _ in range(3):
        _log_session_by_keyboard(page)
    phone.close()
    # the form came from the page cache (opened again before anything was written), and the
    # session posted from it with the token put in for this browser was saved
    assert "/spreekuren/nieuw/" in served

    run_detection(full=True)
    signal = Signal.objects.get(key=f"employer:{employer.pk}")
    assert signal.count == 3

    desk = browser.new_context(base_url=live_server.url, locale="nl-NL")
    desk.set_default_timeout(15000)
    page = desk.new_page()
    log_in(page, live_cast.sector_official)
    page.goto("/signalen/")
    page.get_by_role("link", name="Albert Heijn B.V.", exact=True).click()
    page.get_by_role("heading", level=1, name="Albert Heijn B.V.").wait_for()
    assert serious_accessibility_violations(page) == []
    page.get_by_role("button", name="Gezien").click()
    page.get_by_text("Status: Gezien").wait_for()
    page.get_by_label("Uitkomst").fill("Gesprek met de werkgever over ontslagbeleid gevoerd")
    page.get_by_role("button", name="Afsluiten").click()
    page.get_by_text("Status: Afgesloten").wait_for()
    desk.close()
    signal.refresh_from_db()
    assert signal.status == SignalStatus.CLOSED
    assert signal.ended_by == live_cast.sector_official
