"""A regioplan from draft to approval in the browser: the author writes and submits, the
coordinator comments and asks for changes, the author resubmits, the coordinator compares the
two versions and approves."""

from __future__ import annotations

import pytest

from core import registry
from plans.models import CommentStatus, PlanStatus, RegionPlan
from tests.e2e.conftest import log_in, serious_accessibility_violations
from tests.plans.helpers import panel_providers

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.usefixtures("fake_panel_providers"),
]


@pytest.fixture
def fake_panel_providers(monkeypatch):
    monkeypatch.setattr(
        registry, "region_panel_providers", panel_providers("tests.plans.helpers.fake_region_panel")
    )


def _second_page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="nl-NL")
    context.set_default_timeout(15000)
    return context.new_page()


def test_a_plan_goes_from_draft_to_approved(page, browser, live_server, live_cast):
    author, coordinator = live_cast.regional_official, live_cast.coordinator

    # The author starts the plan, writes with a preview, and submits.
    log_in(page, author)
    page.goto("/regioplannen/")
    page.get_by_role("link", name="Regioplan beginnen").click()
    page.get_by_role("combobox", name="Regio").select_option(label="Midden-Utrecht")
    page.get_by_role("spinbutton", name="Jaar").fill("2027")
    page.get_by_role("button", name="Beginnen").click()
    # One section at a time: the index, then the section's own page.
    page.get_by_role(
        "link", name="Context en arbeidsmarktanalyse (tekort- en krimpberoepen)"
    ).click()
    context_field = page.get_by_label("Tekst")
    context_field.fill("Krapte in de **zorg**; krimp bij banken. <script>alert(1)</script>")
    page.get_by_role("button", name="Voorbeeld").click()
    preview = page.locator("#preview-context")
    preview.locator("strong", has_text="zorg").wait_for()
    assert preview.locator("script").count() == 0
    page.get_by_role("button", name="Opslaan", exact=True).click()
    page.get_by_text("De tekst is opgeslagen.").wait_for()
    assert serious_accessibility_violations(page) == []
    # The last section, saved by autosave alone: typing and waiting is enough.
    page.get_by_role("link", name="Alle onderdelen").click()
    page.get_by_role("link", name="Resultaten en indicatoren").click()
    page.get_by_label("Tekst").fill("- 3 afspraken over van werk naar werk")
    page.get_by_text("Automatisch opgeslagen om").wait_for(timeout=15000)
    page.get_by_role("link", name="Alle onderdelen").click()
    page.get_by_text("2 van de 15 onderdelen hebben tekst").wait_for()
    page.get_by_role("link", name="Terug naar het plan").click()
    page.get_by_role("button", name="Indienen").click()
    page.get_by_text("Het plan heeft nu de status ‘Ingediend’.").wait_for()
    assert page.locator("#panel-title").is_visible()
    assert page.get_by_text("Vastgelegd bij het indienen").is_visible()

    # The coordinator starts the review, comments on a section and asks for changes.
    reviewer = _second_page(browser, live_server)
    log_in(reviewer, coordinator)
    reviewer.goto("/regioplannen/te-beoordelen/")
    reviewer.get_by_role("link", name="Midden-Utrecht 2027").click()
    reviewer.get_by_role("button", name="Beoordeling starten").click()
    reviewer.get_by_text("‘In beoordeling’").first.wait_for()
    results = reviewer.locator("#onderdeel-results")
    results.get_by_text("Opmerking plaatsen bij").click()
    results.get_by_label("Opmerking bij Resultaten en indicatoren").fill(
        "Hoeveel leden willen jullie helpen?"
    )
    results.get_by_role("button", name="Plaatsen").click()
    reviewer.get_by_text("Je opmerking is geplaatst.").wait_for()
    assert serious_accessibility_violations(reviewer) == []
    reviewer.get_by_role("button", name="Wijzigingen vragen").click()
    reviewer.get_by_text("‘Wijzigingen gevraagd’").first.wait_for()

    # The author sees the comment beside the section, changes the text and resubmits.
    page.reload()
    page.get_by_role("link", name="Tekst bewerken").click()
    page.get_by_text("1 open opmerking").wait_for()
    page.get_by_role("link", name="Resultaten en indicatoren").click()
    assert page.get_by_text("Hoeveel leden willen jullie helpen?").is_visible()
    page.get_by_label("Tekst").fill(
        "- 3 afspraken over van werk naar werk\n- 250 leden geholpen door Loopbaan FNV"
    )
    page.get_by_role("button", name="Opslaan", exact=True).click()
    page.get_by_text("De tekst is opgeslagen.").wait_for()
    page.get_by_role("link", name="Alle onderdelen").click()
    page.get_by_role("link", name="Terug naar het plan").click()
    page.locator("#onderdeel-results").get_by_role("button", name="Afhandelen").click()
    page.get_by_text("De opmerking is afgehandeld.").wait_for()
    page.get_by_role("button", name="Opnieuw indienen").click()
    page.get_by_text("‘Opnieuw ingediend’").first.wait_for()

    # The coordinator compares the two versions and approves.
    reviewer.reload()
    reviewer.get_by_role("button", name="Beoordeling starten").click()
    reviewer.get_by_role("link", name="Versies vergelijken").click()
    inserted = reviewer.locator(".compare-table ins")
    assert "250 leden geholpen door Loopbaan FNV" in inserted.first.inner_text()
    assert reviewer.get_by_text("1 onderdeel gewijzigd.").is_visible()
    assert serious_accessibility_violations(reviewer) == []
    reviewer.get_by_role("link", name="Terug naar het plan").click()
    reviewer.get_by_role("button", name="Goedkeuren").click()
    reviewer.get_by_text("‘Goedgekeurd’").first.wait_for()
    reviewer.context.close()

    plan = RegionPlan.objects.get(region__code="AM13", year=2027)
    assert plan.status == PlanStatus.APPROVED
    assert plan.reviewer == coordinator
    assert list(plan.versions.values_list("number", flat=True)) == [1, 2]
    assert plan.comments.get().status == CommentStatus.RESOLVED
    assert "<script>" in plan.sections["context"]  # kept as text, never rendered as HTML
