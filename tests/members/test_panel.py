import datetime as dt

import pytest

from members.models import MemberStatus
from members.panel import region_panel
from tests.factories import MemberFactory, region

pytestmark = pytest.mark.django_db


def test_the_region_panel_counts_members_and_hides_small_groups():
    utrecht = region("AM13")
    for _ in range(4):
        MemberFactory(region=utrecht, member_since=dt.date(2026, 3, 1))
    MemberFactory(region=utrecht, status=MemberStatus.ENDED, ended_on=dt.date(2026, 4, 1))
    panel = region_panel(utrecht, since=dt.date(2026, 1, 1), until=dt.date(2026, 12, 31))
    figures = dict(panel["figures"])
    assert figures["Actieve leden"] == 4
    assert figures["Lid geworden in de periode"] == 4
    assert figures["Lidmaatschap beëindigd in de periode"] == "minder dan 3"
