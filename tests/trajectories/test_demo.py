"""The demo data, at any size `manage.py seed_demo --members N` asks for."""

import pytest
from django.core.management import call_command

from members.models import Member
from trajectories.models import Trajectory

pytestmark = pytest.mark.django_db


def test_a_small_demo_seeds_without_failing_and_a_second_run_adds_nothing():
    call_command("seed_demo", "--members", "100", verbosity=0)
    members, trajectories = Member.objects.count(), Trajectory.objects.count()
    assert members >= 100 and trajectories >= 1
    call_command("seed_demo", "--members", "100", verbosity=0)
    assert (Member.objects.count(), Trajectory.objects.count()) == (members, trajectories)
