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


def test_the_demo_prints_a_totp_command_that_works_as_printed():
    """The printed hint named `python manage.py totp_code E-MAILADRES`, which failed as printed
    (no development mode, no venv); it now names a real staff account and runs as it stands."""
    import io
    import re

    out = io.StringIO()
    call_command("seed_demo", "--members", "100", stdout=out)
    line = next(line for line in out.getvalue().splitlines() if "totp_code" in line)
    match = re.fullmatch(r"\s*DJANGO_DEBUG=1 \.venv/bin/python manage\.py totp_code (\S+)", line)
    assert match, line
    code = io.StringIO()
    call_command("totp_code", match.group(1), stdout=code)
    assert re.fullmatch(r"\d{6}", code.getvalue().strip())
