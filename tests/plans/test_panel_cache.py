"""A plan being written shows the region's figures of at most a few minutes ago (they cost
0.35 s at a million members): kept per region and language, shown with the time they were
taken; submitting a version takes them anew. The tests elsewhere take them at every page
(FNV_PLANS_PANEL_CACHE_SECONDS=0 in fnvregio/testenv.py)."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone, translation

from plans import services
from plans.models import PlanAction
from tests.conftest import login
from tests.plans.helpers import make_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def kept(settings, cast):
    settings.FNV = {**settings.FNV, "PLANS_PANEL_CACHE_SECONDS": 300}
    keys = [
        f"plans:panel:{region.pk}:{language}"
        for region in (cast.region, cast.other_region)
        for language in ("nl", "en")
    ]
    cache.delete_many(keys)
    yield
    cache.delete_many(keys)


def _edit_page(client, plan) -> str:
    url = reverse("plans:edit_section", kwargs={"pk": plan.pk, "section": "context"})
    return client.get(url).content.decode()


def test_the_figures_are_taken_once_and_shown_with_their_time(
    cast, kept, fake_panel, client, monkeypatch
):
    taken, real = [], services.data_panel

    def counted(region, **kwargs):
        taken.append(region.pk)
        return real(region, **kwargs)

    monkeypatch.setattr(services, "data_panel", counted)
    plan = make_plan(cast.region)
    fake_panel["members"] = 321
    login(client, cast.regional_official)
    first = _edit_page(client, plan)
    fake_panel["members"] = 654  # a member joined since: shown once the kept figures expire
    second = _edit_page(client, plan)
    assert ">321<" in first and ">321<" in second and "654" not in second
    assert taken == [cast.region.pk]
    shown_time = timezone.localtime(services.recent_data_panel(cast.region).taken_at)
    assert f"{shown_time:%H:%M}" in second and len(taken) == 1
    # Submitting a version takes the figures anew: the version holds today's.
    services.plan_transition(user=cast.regional_official, plan=plan, action=PlanAction.SUBMIT)
    assert plan.versions.get().panel["tests"]["figures"][0] == ["Leden in de regio", 654]


def test_kept_figures_are_per_region_and_per_language(cast, kept, fake_panel, client):
    with translation.override("nl"):
        dutch = services.recent_data_panel(cast.region)
    with translation.override("en"):
        english = services.recent_data_panel(cast.region)
        other = services.recent_data_panel(cast.other_region)
    assert dutch.figures["tests"]["figures"][1] == ["Regio", cast.region.code]
    assert other.figures["tests"]["figures"][1] == ["Regio", cast.other_region.code]
    assert dutch.figures["members"]["title"] == "Leden"
    assert english.figures["members"]["title"] == "Members"
