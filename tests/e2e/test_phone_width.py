"""No page scrolls sideways on a phone: every page of every role, 375 px wide, on demo data.

The pages are those of the access table (GET, as each role allowed on them, object pages built
from the cast) plus the portal pages each role reaches by following links from them, so that
the object pages of the demo data (an import with its SHA-256, a workshop with its button)
are measured too. A page fails when the document is wider than the screen.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import reverse
from playwright.sync_api import Error as PlaywrightError

from tests.access_table import ACCESS_TABLE, ADMIN
from tests.conftest import login
from tests.loopbaan.helpers import add_hours

pytestmark = pytest.mark.e2e

PHONE_WIDTH = 375
# At most this many pages per URL shape (digits replaced) and role: enough to see a list
# page's states without opening each of its hundred objects.
PER_SHAPE = 2
MAX_PAGES_PER_ROLE = 60
# Not followed: the admin (Django's own layout), files and actions.
SKIPPED = re.compile(r"^/(beheer|static|i18n|accounts/logout)/|\.(csv|ics|json|xlsx|pdf|svg)$")


# The innermost elements that reach past the screen's right edge, to say why a page is wide.
WIDEST_ELEMENTS = """
(width) => {
  const outside = [...document.querySelectorAll("body *")].filter(
    (element) => element.getBoundingClientRect().right > width + 1
  );
  const innermost = outside.filter(
    (element) => ![...element.children].some((child) => outside.includes(child))
  );
  return innermost.slice(0, 3).map((element) =>
    element.tagName.toLowerCase() + (element.className ? "." + element.className : "") +
    " " + Math.round(element.getBoundingClientRect().right) + "px"
  ).join(", ");
}
"""


# Buttons past the right edge (in a box scrolled to its start): on a phone they must be in view.
BUTTONS_OFF_SCREEN = """
(width) => [...document.querySelectorAll("main button, main .button, main input[type=submit]")]
  .filter((button) => button.offsetParent !== null
    && button.getBoundingClientRect().right > width + 1)
  .map((button) => button.textContent.trim() || button.value).slice(0, 3).join(", ")
"""

# Boxes that scroll sideways but cannot be reached by keyboard (WCAG 2.1.1).
SCROLL_BOXES_WITHOUT_TAB_STOP = """
() => [...document.querySelectorAll("main *")].filter((element) => {
  const overflow = getComputedStyle(element).overflowX;
  return (overflow === "auto" || overflow === "scroll")
    && element.scrollWidth > element.clientWidth + 1
    && element.tabIndex < 0
    && !element.querySelector("a, button, input, select, textarea, [tabindex]");
}).map((element) => element.tagName.toLowerCase() + "." + element.className).join(", ")
"""


def _access_table_pages(cast) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """Per role: every GET page of the access table, and those that need no object."""
    pages: dict[str, list[str]] = {}
    plain: dict[str, list[str]] = {}
    for row in ACCESS_TABLE:
        if not row.probe or "GET" not in row.methods or row.name == "admin:" or not row.allowed:
            continue
        url = reverse(row.name, kwargs=row.kwargs(cast) if row.kwargs else None)
        for role in row.allowed:
            pages.setdefault(role, []).append(url)
            if row.kwargs is None:
                plain.setdefault(role, []).append(url)
    return pages, plain


def _finished_import(cast) -> int:
    """An import as a real file leaves it: a long file name, its SHA-256, rejected rows."""
    from members.models import MemberImport

    return MemberImport.objects.create(
        created_by=cast.admin,
        file_name="ledenbestand-fnv-volledige-export-2026-11-30.csv",
        file_sha256="9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
        file_size=48_213_077,
        status="done",
        rows_total=120_000,
        rows_valid=119_990,
        rejected=10,
    ).pk


def _session_cookie(user) -> str:
    client = Client()
    login(client, user)
    return client.cookies["sessionid"].value


def _shape(path: str) -> str:
    return re.sub(r"\d+", "N", path)


def _measure_role(browser, live_server, user, start: list[str]) -> dict[str, int]:
    context = browser.new_context(
        base_url=live_server.url,
        locale="nl-NL",
        viewport={"width": PHONE_WIDTH, "height": 800},
        is_mobile=True,
        has_touch=True,
    )
    context.set_default_timeout(15000)
    if user is not None:
        context.add_cookies(
            [{"name": "sessionid", "value": _session_cookie(user), "url": live_server.url}]
        )
    page = context.new_page()
    widths: dict[str, int] = {}
    culprits: dict[str, str] = {}
    queue = [url for url in dict.fromkeys(start) if not SKIPPED.search(urlsplit(url).path)]
    shapes: dict[str, int] = {}
    try:
        while queue and len(widths) < MAX_PAGES_PER_ROLE:
            url = queue.pop(0)
            if url in widths:
                continue
            try:
                response = page.goto(url)
            except PlaywrightError as error:  # a file, not a page
                if "Download is starting" in str(error):
                    continue
                raise
            if response is None or "html" not in (response.headers.get("content-type") or ""):
                continue
            if not page.locator("meta[name=viewport]").count():
                widths[url] = 0  # an htmx fragment (autocomplete, progress), not a page
                continue
            widths[url] = page.evaluate("document.documentElement.scrollWidth")
            unreachable = page.evaluate(SCROLL_BOXES_WITHOUT_TAB_STOP)
            if unreachable:
                culprits[url] = "scrolling box without a tab stop: " + unreachable
            off_screen = page.evaluate(BUTTONS_OFF_SCREEN, PHONE_WIDTH)
            if off_screen:
                culprits[url] = "buttons off screen: " + off_screen
            if widths[url] > PHONE_WIDTH:
                culprits[url] = page.evaluate(WIDEST_ELEMENTS, PHONE_WIDTH)
            for href in page.eval_on_selector_all(
                "main a[href]", "links => links.map(link => link.getAttribute('href'))"
            ):
                parts = urlsplit(href)
                if parts.scheme or parts.netloc or not parts.path.startswith("/"):
                    continue
                path = parts.path + (f"?{parts.query}" if parts.query else "")
                if SKIPPED.search(parts.path) or path in widths or path in queue:
                    continue
                shape = _shape(parts.path)
                if shapes.get(shape, 0) >= PER_SHAPE:
                    continue
                shapes[shape] = shapes.get(shape, 0) + 1
                queue.append(path)
    finally:
        context.close()
    return {url: (width, culprits.get(url, "")) for url, width in widths.items()}


@pytest.mark.timeout_seconds(600)
def test_no_page_of_any_role_scrolls_sideways_on_a_phone(browser, live_server, live_cast):
    from members.demo import seed_demo
    from members.models import User

    pages, plain = _access_table_pages(live_cast)  # the kwargs builders create objects
    logins = seed_demo(member_count=400)  # fewer members make the trajectory demo data fail
    for weekday in (0, 2, 4):  # the cast's consultant has hours too (the availability table)
        add_hours(live_cast.consultant, live_cast.union_house, weekday=weekday)
    pages[ADMIN].append(
        reverse("members:import_detail", kwargs={"pk": _finished_import(live_cast)})
    )
    # The cast's users on every page, then one demo user per role (their own appointments,
    # trajectory and agenda are in the demo data) from the pages that need no object.
    visitors = [(role, user, pages.get(role, [])) for role, user in live_cast.by_role().items()]
    demo_users = {}
    for demo_login in logins:
        demo_users.setdefault(demo_login.role, User.objects.get(email=demo_login.email))
    visitors += [(f"{role} (demo)", user, plain.get(role, [])) for role, user in demo_users.items()]
    too_wide = []
    measured = 0  # pages, not fragments
    for role, user, start in visitors:
        widths = _measure_role(browser, live_server, user, [reverse("home"), *start])
        measured += sum(1 for width, _ in widths.values() if width)
        too_wide += [
            f"{role} {url}: {width} px ({culprit})"
            for url, (width, culprit) in widths.items()
            if width > PHONE_WIDTH or culprit.startswith(("scrolling box", "buttons off"))
        ]
    print(f"measured {measured} pages")
    assert measured > 150
    assert not too_wide, f"{len(too_wide)} pages wider than {PHONE_WIDTH} px:\n" + "\n".join(
        too_wide
    )
