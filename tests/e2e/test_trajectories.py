"""A trajectory from a referral to a closed outcome, in the browser: the adviser takes the
referral from the intake queue, agrees a plan and shares a summary; the participant looks at
their plan and enrols in a workshop; the adviser closes the trajectory with an outcome."""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone

from members.events import trajectory_referral_made
from tests.e2e.conftest import log_in, serious_accessibility_violations
from tests.factories import EmployerFactory
from tests.trajectories import factories as f
from trajectories.models import IntakeRequest, Trajectory, TrajectoryStatus

pytestmark = pytest.mark.e2e


def _member_page(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url, locale="nl-NL", viewport={"width": 390, "height": 844}
    )
    context.set_default_timeout(15000)
    return context, context.new_page()


def test_a_referral_becomes_a_trajectory_with_a_plan_and_ends_with_an_outcome(
    page, browser, live_server, live_cast
):
    cast = live_cast
    new_employer = EmployerFactory(name="Zorggroep Noord B.V.", kvk_number="12345678")
    EmployerFactory(name="Zorggroep Noordoost", is_confirmed=False)  # proposed: not offered
    session = f.session(capacity=5, starts_in=datetime.timedelta(days=10))
    trajectory_referral_made.send(
        sender=None, member=cast.member, region=None, source="appointment", source_id=501, note=""
    )
    assert IntakeRequest.objects.filter(member=cast.member).exists()

    # The adviser takes the referral from the queue of their region.
    log_in(page, cast.adviser)
    page.get_by_role("link", name=re.compile("Intakewachtrij")).click()
    page.get_by_role("link", name=re.compile("Oppakken")).click()
    page.get_by_label("Soort traject").select_option("career")
    page.get_by_label("Aanleiding").select_option("dismissed")
    page.get_by_role("button", name="Ik pak deze aanvraag op").click()
    page.wait_for_url(re.compile(r"/trajecten/\d+/$"))
    trajectory = Trajectory.objects.get(member=cast.member)
    assert trajectory.status == TrajectoryStatus.INTAKE

    # A goal, the agreement and a summary for the participant.
    page.get_by_label("Wat").fill("Cv bijwerken met de loopbaanadviseur")
    page.get_by_role("button", name="Doel toevoegen").click()
    end = (timezone.localdate() + datetime.timedelta(weeks=16)).isoformat()
    page.get_by_label("Begeleiding tot").fill(end)
    page.get_by_role("button", name="Plan is afgesproken met de deelnemer").click()
    page.get_by_role("textbox", name="Samenvatting voor de deelnemer").fill(
        "Sterke start; volgende stap: netwerk."
    )
    page.get_by_role("button", name="Delen met de deelnemer").click()
    page.get_by_role("textbox", name="Voortgangsnotitie").fill("Privé: twijfelt over reistijd.")
    page.get_by_role("button", name="Notitie opslaan").click()
    trajectory.refresh_from_db()
    assert trajectory.status == TrajectoryStatus.ACTIVE
    assert serious_accessibility_violations(page) == []

    # The participant looks at their plan (one click from home) and enrols in a workshop.
    context, member_page = _member_page(browser, live_server)
    try:
        log_in(member_page, cast.member_user)
        member_page.get_by_role("link", name=re.compile("Mijn traject")).click()
        assert member_page.get_by_role("heading", name="Mijn plan van aanpak").is_visible()
        assert member_page.get_by_text("Cv bijwerken met de loopbaanadviseur").is_visible()
        assert member_page.get_by_text("Sterke start; volgende stap: netwerk.").is_visible()
        assert member_page.get_by_text("Privé: twijfelt over reistijd.").count() == 0
        assert serious_accessibility_violations(member_page) == []
        member_page.get_by_role("link", name="Workshops bekijken en inschrijven").click()
        member_page.get_by_role("button", name=re.compile("^Inschrijven")).first.click()
        assert member_page.get_by_text("Je bent ingeschreven.").is_visible()
        assert trajectory.enrolments.get().session == session
    finally:
        context.close()

    # The adviser closes the trajectory with a new job under a cao.
    page.reload()
    page.get_by_role("link", name="Traject beëindigen").click()
    page.get_by_label("Afgerond").check()
    page.get_by_label("Uitkomst:", exact=True).select_option("new_job")
    # The new employer is searched for (htmx), not picked from a list of every employer.
    assert page.locator("select[name=employer]").count() == 0
    page.get_by_label("Nieuwe werkgever").fill("zorggroep noord")
    page.get_by_label(re.compile(r"^Zorggroep Noord B\.V\.")).check()
    assert page.get_by_label(re.compile(r"^Zorggroep Noordoost")).count() == 0
    assert serious_accessibility_violations(page) == []
    page.get_by_label("Sector").select_option(str(cast.sector.pk))
    page.get_by_label("Soort contract").select_option("permanent")
    page.get_by_label("Valt onder een cao").select_option("yes")
    page.get_by_role("button", name="Traject beëindigen").click()
    page.wait_for_url(re.compile(r"/trajecten/\d+/$"))
    assert page.get_by_text("Het traject is beëindigd").is_visible()
    trajectory.refresh_from_db()
    assert trajectory.status == TrajectoryStatus.COMPLETED
    assert trajectory.outcome.kind == "new_job" and trajectory.outcome.under_cao is True
    assert trajectory.outcome.employer == new_employer
    # A workshop after the end is no longer theirs.
    assert trajectory.enrolments.get().status == "cancelled"


@pytest.mark.parametrize("viewport", ["page", "phone_page"])
def test_trajectory_pages_have_no_serious_accessibility_violations(request, live_cast, viewport):
    browser_page = request.getfixturevalue(viewport)
    cast = live_cast
    case = f.collective_case(region=cast.region)
    own = f.active_trajectory(adviser=cast.adviser, member=cast.member, collective_case=case)
    f.intake(region=cast.region)
    f.session()
    log_in(browser_page, cast.adviser)
    for path in [
        "/trajecten/",
        "/trajecten/intake/",
        "/trajecten/intake/nieuw/",
        f"/trajecten/{own.pk}/",
        f"/trajecten/{own.pk}/workshops/",
        f"/trajecten/{own.pk}/afsluiten/",
        f"/trajecten/{own.pk}/overdragen/",
        "/trajecten/zaken/",
        f"/trajecten/zaken/{case.pk}/",
    ]:
        browser_page.goto(path)
        assert serious_accessibility_violations(browser_page) == [], path
    browser_page.context.clear_cookies()
    log_in(browser_page, cast.coordinator)
    for path in ["/trajecten/uitkomsten/", "/trajecten/overdragen/"]:
        browser_page.goto(path)
        assert serious_accessibility_violations(browser_page) == [], path
    browser_page.context.clear_cookies()
    log_in(browser_page, cast.member_user)
    for path in ["/trajecten/mijn-traject/", "/trajecten/mijn-traject/workshops/"]:
        browser_page.goto(path)
        assert serious_accessibility_violations(browser_page) == [], path
