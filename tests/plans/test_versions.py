"""Every submission is kept with its own text and frozen data panel; versions compare."""

from __future__ import annotations

from django.urls import reverse

from core import registry
from plans import services
from plans.models import PlanAction, PlanStatus
from plans.rendering import diff_texts
from regions.models import Region
from tests.conftest import login
from tests.plans.helpers import make_plan, panel_providers


def _submit_then_resubmit(cast, fake_panel, plan):
    services.plan_transition(user=cast.regional_official, plan=plan, action=PlanAction.SUBMIT)
    services.plan_transition(user=cast.coordinator, plan=plan, action=PlanAction.START_REVIEW)
    services.plan_transition(user=cast.coordinator, plan=plan, action=PlanAction.REQUEST_CHANGES)
    services.plan_save_sections(
        user=cast.regional_official,
        plan=plan,
        sections={
            **plan.sections,
            "context": "Krapte in de zorg; krimp in de detailhandel en de post.",
        },
    )
    fake_panel["members"] = 175
    services.plan_transition(user=cast.regional_official, plan=plan, action=PlanAction.RESUBMIT)


def test_each_submission_freezes_the_text_and_the_data_panel(cast, fake_panel):
    plan = make_plan(cast.region)
    _submit_then_resubmit(cast, fake_panel, plan)
    first, second = plan.versions.order_by("number")
    assert first.sections["context"].startswith("Krapte in de zorg en de techniek")
    assert second.sections["context"].endswith("de post.")
    assert first.panel["tests"]["figures"][0] == ["Leden in de regio", 120]
    assert second.panel["tests"]["figures"][0] == ["Leden in de regio", 175]
    # An app without figures is left out of the frozen panel.
    assert all(block["figures"] for block in first.panel.values())
    assert first.panel_taken_at <= second.panel_taken_at
    assert (first.panel_until - first.panel_since).days == 365


def test_a_frozen_version_keeps_its_figures_when_the_portal_changes(cast, fake_panel, client):
    plan = make_plan(cast.region)
    services.plan_transition(user=cast.regional_official, plan=plan, action=PlanAction.SUBMIT)
    fake_panel["members"] = 999
    login(client, cast.coordinator)
    page = client.get(
        reverse("plans:version", kwargs={"pk": plan.pk, "number": 1})
    ).content.decode()
    assert ">120<" in page and "999" not in page
    assert "Vastgelegd bij het indienen, opgehaald op" in page
    detail = client.get(reverse("plans:detail", kwargs={"pk": plan.pk})).content.decode()
    assert ">120<" in detail and "999" not in detail


def test_a_draft_shows_the_live_panel_with_the_date_it_was_taken(cast, fake_panel, client):
    plan = make_plan(cast.region)
    fake_panel["members"] = 321
    login(client, cast.regional_official)
    page = client.get(
        reverse("plans:edit_section", kwargs={"pk": plan.pk, "section": "context"})
    ).content.decode()
    assert ">321<" in page
    assert "Opgehaald op" in page and "worden deze cijfers vastgelegd" in page


def test_it_compares_two_versions_side_by_side_with_changes_marked(cast, fake_panel, client):
    plan = make_plan(cast.region)
    _submit_then_resubmit(cast, fake_panel, plan)
    login(client, cast.coordinator)
    response = client.get(reverse("plans:compare", kwargs={"pk": plan.pk}), {"a": 1, "b": 2})
    page = response.content.decode()
    assert response.status_code == 200
    assert "<del>" in page and "<ins>" in page
    assert "en de techniek" in page
    assert "1 onderdeel gewijzigd." in page
    assert "De cijfers verschillen tussen de versies." in page


def test_comparing_with_fewer_than_two_versions_says_so(cast, client):
    plan = make_plan(cast.region, status=PlanStatus.SUBMITTED)
    login(client, cast.coordinator)
    page = client.get(reverse("plans:compare", kwargs={"pk": plan.pk})).content.decode()
    assert "vergelijken kan vanaf de tweede indiening" in page


def test_a_bad_version_number_in_the_comparison_falls_back_to_the_last_two(
    cast, fake_panel, client
):
    plan = make_plan(cast.region)
    _submit_then_resubmit(cast, fake_panel, plan)
    login(client, cast.coordinator)
    response = client.get(reverse("plans:compare", kwargs={"pk": plan.pk}), {"a": "x", "b": 9})
    assert response.status_code == 200
    assert response.context["old"].number == 1 and response.context["new"].number == 2


def test_the_difference_marks_words_and_escapes_html():
    old, new, changed = diff_texts(
        "Wij werken <b>samen</b> in de regio", "Wij werken samen in Utrecht"
    )
    assert changed
    assert "&lt;b&gt;" in old and "<b>" not in old
    assert "<del>" in old and "<ins>" in new
    assert "Utrecht" in new and 'class="visually-hidden">toegevoegd:' in new
    assert diff_texts("gelijk", "gelijk")[2] is False


def test_a_missing_version_is_404(cast, client):
    plan = make_plan(cast.region)
    login(client, cast.coordinator)
    assert (
        client.get(reverse("plans:version", kwargs={"pk": plan.pk, "number": 3})).status_code == 404
    )


def test_the_panel_leaves_out_apps_without_figures(cast, monkeypatch):
    monkeypatch.setattr(
        registry, "region_panel_providers", panel_providers("tests.plans.helpers.fake_region_panel")
    )
    assert set(services.data_panel(cast.region).figures) == {"tests"}
    monkeypatch.setattr(
        registry, "region_panel_providers", panel_providers("members.panel.region_panel")
    )
    assert set(services.data_panel(cast.other_region).figures) == {"members"}
    monkeypatch.setattr(registry, "region_panel_providers", panel_providers())
    assert services.data_panel(Region.objects.get(code="AM01")).figures == {}


def test_the_difference_works_line_by_line_and_marks_huge_rewrites_as_a_whole():
    old = "Eerste regel blijft.\nTweede regel over krapte.\nDerde regel."
    new = "Eerste regel blijft.\nTweede regel over krimp.\nDerde regel."
    left, right, changed = diff_texts(old, new)
    assert changed and "Eerste regel blijft." in left
    assert "krapte" in left.split("<del>")[1] and "krimp" in right.split("<ins>")[1]
    huge_old = " ".join(f"woord{i}" for i in range(3000))
    huge_new = " ".join(f"ander{i}" for i in range(3000)) + "\nextra regel"
    left, right, changed = diff_texts(huge_old, huge_new)
    assert changed and left.count("<del>") == 1 and right.count("<ins>") == 1


def test_the_panel_counts_members_per_sector_without_small_groups(cast, settings, monkeypatch):
    from members.models import MemberStatus
    from tests.factories import MemberFactory, SectorFactory

    settings.FNV = {**settings.FNV, "MIN_GROUP_SIZE": 3}
    monkeypatch.setattr(
        registry, "region_panel_providers", panel_providers("members.panel.region_panel")
    )
    zorg, bouw = SectorFactory(name="Zorg en Welzijn"), SectorFactory(name="Bouw en Infra")
    for _ in range(4):
        MemberFactory(region=cast.region, sector=zorg)
    MemberFactory(region=cast.region, sector=bouw)
    MemberFactory(region=cast.region, sector=bouw, status=MemberStatus.ENDED)
    MemberFactory(region=cast.other_region, sector=bouw)
    block = services.data_panel(cast.region).figures["members"]
    # The cast's own member (Handel) and the one Bouw member are too few to show apart; and
    # 6 - 4 would give those 2 back, so Zorg en Welzijn is hidden with them (issue 12, item 10).
    assert block["figures"][:3] == [
        ["Actieve leden", 6],
        ["Zorg en Welzijn", "afgeschermd"],
        ["Overige en onbekende sectoren", "afgeschermd"],
    ]
