"""Erasure scrubs a member's referrals; retention deletes closed ones after the period."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.utils import timezone

from core import registry
from members.erasure import member_erase
from referrals import services
from referrals.models import Referral, Status
from tests.referrals.helpers import make_referral

pytestmark = pytest.mark.django_db


def test_erasing_a_member_scrubs_their_referrals_and_keeps_the_counts(cast):
    open_one = make_referral(cast, kind="legal", consent=True)
    done = make_referral(cast, kind="workshop", consent=True)
    services.complete(
        referral=done, by=cast.coordinator, outcome=f"{cast.member.last_name} geholpen"
    )
    other = make_referral(cast, kind="legal", member=cast.other_member)

    member_erase(member=cast.member, actor=cast.admin)

    for referral in (open_one, done):
        referral.refresh_from_db()
        assert referral.member_id is None
        assert (referral.member_name, referral.member_contact, referral.summary) == ("", "", "")
        assert cast.member.last_name not in referral.outcome
    assert Referral.objects.get(pk=done.pk).status == Status.DONE
    assert Referral.objects.count() == 3
    other.refresh_from_db()
    assert other.member_name == cast.other_member.display_name


def test_retention_deletes_closed_referrals_after_the_period_and_keeps_open_ones(cast):
    old_closed = make_referral(cast, kind="legal")
    services.decline(referral=old_closed, by=cast.legal, reason="Dubbel")
    recent_closed = make_referral(cast, kind="workshop")
    services.complete(referral=recent_closed, by=cast.coordinator, outcome="Aangemeld")
    old_open = make_referral(cast, kind="reintegration")
    long_ago = timezone.now() - dt.timedelta(days=800)
    Referral.objects.filter(pk__in=[old_closed.pk, old_open.pk]).update(
        created_at=long_ago, closed_at=None
    )
    Referral.objects.filter(pk=old_closed.pk).update(closed_at=long_ago)

    report = registry.apply_retention(
        now=timezone.now(), days={**settings.FNV_RETENTION_DAYS, "referrals_closed": 730}
    )
    assert report["referrals_deleted"] == 1
    assert set(Referral.objects.values_list("pk", flat=True)) == {recent_closed.pk, old_open.pk}
