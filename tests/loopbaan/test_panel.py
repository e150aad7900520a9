import json
from datetime import timedelta

from django.utils import timezone

from loopbaan.models import AppointmentReport, AppointmentStatus
from loopbaan.panel import region_panel
from tests.loopbaan.helpers import consultant_at, make_appointment


def test_the_region_panel_counts_held_appointments_and_hides_small_breakdowns(cast):
    start = timezone.now() - timedelta(days=10)
    for n in range(4):
        pool = [consultant_at(cast.union_house) for _ in range(2)]
        appointment = make_appointment(
            cast.member,
            pool,
            cast.union_house,
            start + timedelta(hours=2 * n),
            status=AppointmentStatus.HELD,
        )
        if n == 0:
            AppointmentReport.objects.create(
                appointment=appointment, career_question="training", referrals=["trajectory"]
            )
    panel = region_panel(
        cast.region, since=timezone.localdate() - timedelta(days=30), until=timezone.localdate()
    )
    figures = dict(panel["figures"])
    assert figures["Loopbaanafspraken gehouden"] == 4
    # 1 of 4 referred: hidden, and so are the 3 who were not (issue 12, item 10).
    assert figures["Doorverwezen naar een individueel traject"] == "afgeschermd"
    assert figures["waarvan online"] == 0
    json.dumps(panel)
    other = region_panel(cast.other_region, since=start - timedelta(days=1), until=timezone.now())
    assert dict(other["figures"])["Loopbaanafspraken gehouden"] == 0


def test_a_part_of_the_appointments_held_does_not_give_away_the_rest(cast):
    """ "Gehouden 4; waarvan online 3" gave away the one appointment in person."""
    start = timezone.now() - timedelta(days=10)
    for n in range(4):
        pool = [consultant_at(cast.union_house if n == 0 else None, online=n > 0) for _ in range(2)]
        make_appointment(
            cast.member,
            pool,
            cast.union_house if n == 0 else None,
            start + timedelta(hours=2 * n),
            status=AppointmentStatus.HELD,
        )
    panel = region_panel(
        cast.region, since=timezone.localdate() - timedelta(days=30), until=timezone.localdate()
    )
    figures = dict(panel["figures"])
    assert figures["Loopbaanafspraken gehouden"] == 4
    assert figures["waarvan online"] == "afgeschermd"
