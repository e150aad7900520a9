"""From three logged sessions to a collective case: a consultant logs three sessions at one
employer through the real form, with the members' consent to be contacted; detection opens a
signal; the sector official opens a case from it and invites the members as a group; each
member accepts from the mail's link; the official records the outcome, which shows on the
signal. (The lead adds the dashboard step.)"""

from __future__ import annotations

import re

import pytest
from django.core import mail

from casework.models import CaseParticipant
from signals.detection import run_detection
from signals.models import Signal, SignalStatus
from tests.e2e.conftest import log_in, serious_accessibility_violations
from tests.factories import EmployerFactory, MemberFactory, UserFactory
from tests.signals.helpers import theme
from trajectories.models import CollectiveCase, CollectiveCaseStatus

pytestmark = pytest.mark.e2e


def _log_session(page, member_number: str) -> None:
    page.goto("/spreekuren/nieuw/")
    page.get_by_label("Lidnummer").fill(member_number)
    page.get_by_label("Werkgever zoeken").fill("AH")
    choice = page.get_by_label("Albert Heijn B.V.")
    choice.wait_for()
    choice.check()
    page.get_by_label("Ontslag").check()
    page.get_by_label(re.compile("benaderd worden als de FNV")).check()
    page.get_by_role("button", name="Gesprek opslaan").click()
    page.get_by_text("Het gesprek is vastgelegd.").wait_for()


def test_three_sessions_become_a_case_whose_members_join_and_whose_outcome_reaches_the_signal(
    browser, live_server, live_cast
):
    theme("Ontslag")
    employer = EmployerFactory(
        name="Albert Heijn B.V.", aliases=["AH", "Albert Heijn"], sector=live_cast.sector
    )
    members = [
        MemberFactory(
            user=UserFactory(email=f"{name.lower()}@example.nl"),
            last_name=name,
            sector=live_cast.sector,
            region=live_cast.region,
        )
        for name in ("Jansen", "Bakker", "Visser")
    ]

    def context():
        ctx = browser.new_context(base_url=live_server.url, locale="nl-NL")
        ctx.set_default_timeout(15000)
        return ctx

    desk = context()
    page = desk.new_page()
    log_in(page, live_cast.consultant)
    for member in members:
        _log_session(page, member.member_number)
    desk.close()

    run_detection(full=True)
    signal = Signal.objects.get(key=f"employer:{employer.pk}")
    assert signal.count == 3

    official = context()
    page = official.new_page()
    log_in(page, live_cast.sector_official)
    page.goto(f"/signalen/{signal.pk}/")
    page.get_by_role("link", name="Collectieve zaak openen of koppelen").click()
    page.get_by_role("heading", level=1, name="Collectieve zaak openen of koppelen").wait_for()
    assert serious_accessibility_violations(page) == []
    page.get_by_label("Naam van de zaak").fill("Ontslagen bij Albert Heijn")
    page.get_by_role("button", name="Zaak openen").click()
    page.get_by_role("heading", level=1, name="Ontslagen bij Albert Heijn").wait_for()
    assert serious_accessibility_violations(page) == []
    page.get_by_role("link", name="Leden uitnodigen").click()
    assert (
        "Aantal leden dat een uitnodiging krijgt: 3" in page.locator("#invite-count").inner_text()
    )
    mail.outbox.clear()
    page.get_by_role("button", name="Ja, verstuur de uitnodigingen").click()
    page.get_by_text("De uitnodigingen zijn verstuurd").wait_for()

    assert sorted(m.to[0] for m in mail.outbox) == sorted(m.email for m in members)
    for member in members:
        [message] = [m for m in mail.outbox if m.to == [member.email]]
        link = re.search(r"https?://\S+/collectieve-zaken/uitnodiging/\S+/", message.body).group(0)
        path = link[link.index("/collectieve-zaken/") :]
        ctx = context()
        member_page = ctx.new_page()
        log_in(member_page, member.user)
        member_page.goto(path)
        member_page.get_by_role("button", name="Ik doe mee").click()
        member_page.get_by_text("Je doet mee met deze zaak.").wait_for()
        ctx.close()
    case = CollectiveCase.objects.get()
    assert CaseParticipant.objects.filter(case=case).count() == 3

    page.reload()
    assert page.locator("#accepted-count").inner_text() == "3"
    page.get_by_label("Uitkomst").fill("Sociaal plan met een transitievergoeding boven de wet.")
    page.get_by_role("button", name="Uitkomst vastleggen en zaak afsluiten").click()
    page.get_by_text("Status: afgesloten").wait_for()
    page.goto(f"/signalen/{signal.pk}/")
    page.get_by_text("Status: Afgesloten").wait_for()
    assert "Sociaal plan met een transitievergoeding" in page.content()
    official.close()
    signal.refresh_from_db()
    case.refresh_from_db()
    assert signal.status == SignalStatus.CLOSED
    assert case.status == CollectiveCaseStatus.CLOSED

    # The region's dashboard counts the signal as handled (the sessions' theme may have opened
    # a theme signal too, which stays open).
    regional = context()
    page = regional.new_page()
    log_in(page, live_cast.regional_official)
    page.goto(f"/dashboard/{live_cast.region.code}/")
    row = page.locator("tr", has_text="Afgesloten signalen in de periode").first
    assert row.locator("td").last.inner_text().strip() == "1"
    assert page.locator("tr", has_text="Open signalen").count() >= 1
    regional.close()
