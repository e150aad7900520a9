"""The monthly figures for the dashboard and the region panel's figures."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from referrals import services
from referrals.figures import monthly
from referrals.models import Referral
from referrals.panel import region_panel
from tests.referrals.helpers import make_referral

pytestmark = pytest.mark.django_db


def _at(referral, moment):
    Referral.objects.filter(pk=referral.pk).update(created_at=moment)
    referral.refresh_from_db()
    return referral


def test_monthly_counts_made_accepted_done_declined_and_the_median_hours(cast):
    tz = timezone.get_current_timezone()
    made = dt.datetime(2026, 3, 10, 9, 0, tzinfo=tz)
    fast = _at(make_referral(cast, kind="legal"), made)
    slow = _at(make_referral(cast, kind="legal"), made)
    declined = _at(make_referral(cast, kind="legal"), made)
    services.complete(
        referral=fast, by=cast.legal, outcome="Klaar", now=made + dt.timedelta(hours=4)
    )
    services.accept(referral=slow, by=cast.legal, now=made + dt.timedelta(hours=20))
    services.decline(referral=declined, by=cast.legal, reason="Dubbel", now=made)
    other_region = _at(make_referral(cast, kind="legal", member=cast.other_member), made)
    assert other_region.region_id != cast.region.pk

    feb, mar, apr = monthly([cast.region.pk], dt.date(2026, 2, 1), 3)
    assert (feb.made, apr.made) == (0, 0) and feb.median_hours_to_accept is None
    assert mar.month == dt.date(2026, 3, 1)
    assert (mar.made, mar.accepted, mar.done, mar.declined) == (3, 2, 1, 1)
    assert mar.median_hours_to_accept == 12.0
    [national] = monthly(None, dt.date(2026, 3, 1), 1)
    assert national.made == 4


def test_the_region_panel_hides_small_numbers(cast, settings):
    settings.FNV = {**settings.FNV, "MIN_GROUP_SIZE": 3}
    now = timezone.now()
    referrals = [make_referral(cast, kind="legal") for _ in range(4)]
    for referral in referrals[:3]:
        services.accept(referral=referral, by=cast.legal)
    panel = region_panel(
        cast.region, since=now.date() - dt.timedelta(days=1), until=now + dt.timedelta(days=1)
    )
    figures = dict(panel["figures"])
    assert figures["Doorverwijzingen gedaan"] == 4
    # 3 of 4 picked up in time: the other part (1) is below the minimum, so both are hidden.
    assert figures["waarvan op tijd opgepakt"] == "afgeschermd"
    assert figures["Mediaan dagen tot oppakken"] == 0.0
