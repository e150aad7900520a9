import random

from plans.demo import seed
from plans.models import PlanStatus, PlanVersion, RegionPlan
from tests.factories import UserFactory


def test_the_demo_seed_is_idempotent_and_marks_its_plans(db):
    official = UserFactory(email="regiobestuurder@demo.fnv-regio.nl", role="regional_official")
    UserFactory(email="coordinator@demo.fnv-regio.nl", role="coordinator")
    seed(rng=random.Random(1), fake=None)
    counts = (RegionPlan.objects.count(), PlanVersion.objects.count())
    seed(rng=random.Random(1), fake=None)
    assert (RegionPlan.objects.count(), PlanVersion.objects.count()) == counts
    assert not RegionPlan.objects.filter(is_demo=False).exists()
    waiting = RegionPlan.objects.get(region__code="AM13", status=PlanStatus.SUBMITTED)
    assert official in waiting.authors.all()
    assert waiting.versions.count() == 1
    assert len(waiting.sections) == 15
    assert RegionPlan.objects.values("status").distinct().count() == 6
