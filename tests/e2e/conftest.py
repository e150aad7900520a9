"""Browser journeys: Playwright drives Debian's Chromium (never a downloaded browser).

CHROMIUM_PATH overrides the browser; the default is /usr/bin/chromium. Each test gets a fresh
browser context against pytest-django's live server.
"""

from __future__ import annotations

import os
import shutil

import pytest
from axe_playwright_python.sync_playwright import Axe

from members.totp import current_totp_code
from tests.conftest import Cast, ensure_reference_data
from tests.factories import PASSWORD

# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make
# there are ordinary blocking calls, so Django's async-safety guard is relaxed for e2e only.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def chromium_path() -> str:
    path = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
    if not os.path.exists(path):
        pytest.fail(
            f"Chromium not found at {path}: install Debian's package (apt-get install chromium) "
            "or set CHROMIUM_PATH.",
            pytrace=False,
        )
    return path


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url, locale="nl-NL", viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(15000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def phone_page(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url,
        locale="nl-NL",
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        has_touch=True,
    )
    context.set_default_timeout(15000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def live_cast(transactional_db) -> Cast:
    ensure_reference_data()
    return Cast()


def log_in(page, user, password: str = PASSWORD) -> None:
    """Log in through the real login form, with the TOTP step for staff."""
    page.goto("/accounts/login/")
    page.get_by_label("E-mailadres").fill(user.email)
    page.get_by_label("Wachtwoord", exact=True).fill(password)
    page.get_by_role("button", name="Inloggen").click()
    if user.is_staff_role:
        page.wait_for_url("**/accounts/2fa/authenticate/**")
        page.get_by_label("Code", exact=True).fill(current_totp_code(user))
        page.get_by_role("button", name="Inloggen").click()
    page.wait_for_load_state("networkidle")


def serious_accessibility_violations(page) -> list[str]:
    results = Axe().run(page)
    return [
        f"{violation['id']}: {violation['help']} ({len(violation['nodes'])}x)"
        for violation in results.response["violations"]
        if violation.get("impact") in {"serious", "critical"}
    ]
