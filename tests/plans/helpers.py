"""Plans, versions and a fake data-panel provider for the regioplannen tests."""

from __future__ import annotations

from django.utils import timezone

from plans.models import PlanStatus, PlanVersion, RegionPlan, Section

YEAR = 2027
TEXT = {
    Section.CONTEXT.value: "Krapte in de zorg en de techniek; krimp in de detailhandel.",
    Section.THEMES.value: "- Vakbondswaardig werk\n- Van werk naar werk",
}

# The fake provider's figures; tests change this to show that a frozen version keeps its own.
FAKE_FIGURES = {"members": 120}


def fake_region_panel(region, *, since, until) -> dict:
    return {
        "title": "Testcijfers",
        "figures": [["Leden in de regio", FAKE_FIGURES["members"]], ["Regio", region.code]],
    }


# The registry keys panels by the provider's top-level package ("tests" here), so one fake;
# a real provider of another app rides along to show that an app's panel ends up beside it.
FAKE_PROVIDERS = ["tests.plans.helpers.fake_region_panel", "members.panel.region_panel"]


def panel_providers(*paths: str):
    """A stand-in for core.registry.region_panel_providers: these providers, keyed by the first
    part of their path, as the apps' declarations are keyed by app label."""
    from django.utils.module_loading import import_string

    providers = [(path.split(".")[0], import_string(path)) for path in paths]
    return lambda: providers


def make_plan(region, *, year: int = YEAR, status: str = PlanStatus.DRAFT, sections=None, **extra):
    plan, _ = RegionPlan.objects.get_or_create(
        region=region,
        year=year,
        defaults={
            "status": status,
            "sections": dict(TEXT if sections is None else sections),
            **extra,
        },
    )
    return plan


def make_version(
    plan, *, number: int = 1, sections=None, submitted_by=None, **extra
) -> PlanVersion:
    version, _ = PlanVersion.objects.get_or_create(
        plan=plan,
        number=number,
        defaults={
            "sections": dict(plan.sections if sections is None else sections),
            "panel": {"test": {"title": "Testcijfers", "figures": [["Leden", 5]]}},
            "panel_taken_at": timezone.now(),
            "panel_since": timezone.localdate(),
            "panel_until": timezone.localdate(),
            "submitted_by": submitted_by,
            **extra,
        },
    )
    return version


def plan_with_versions(region, count: int = 2) -> RegionPlan:
    plan = make_plan(region)
    for number in range(1, count + 1):
        make_version(plan, number=number)
    return plan
