"""Retention and erasure of referrals (called by fnvregio.tasks / members.erasure)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import Case, Value, When

from core.conf import feature_setting
from referrals.models import CLOSED_STATUSES, Referral, Status

RETENTION_DAYS = 730
ERASED = "(gewist)"


def apply_retention(*, now: datetime, days: dict[str, int]) -> dict[str, int]:
    """Delete referrals closed (done or declined) longer ago than the period; open ones stay."""
    period = days.get("referrals_closed") or int(
        feature_setting("REFERRAL_RETENTION_DAYS", RETENTION_DAYS)
    )
    _total, by_model = Referral.objects.filter(
        status__in=CLOSED_STATUSES, closed_at__lt=now - timedelta(days=period)
    ).delete()
    return {"referrals_deleted": by_model.get(Referral._meta.label, 0)}


def erase_member(*, member) -> dict[str, int]:
    """Scrub the member from their referrals: the snapshot, the texts written about them and
    the link go; kind, status and dates stay for the counts."""
    scrubbed = Referral.objects.filter(member=member).update(
        member=None,
        member_name="",
        member_contact="",
        summary="",
        topic="",
        employer_name="",
        # A closed referral keeps a mark where its text was (the database requires one).
        outcome=Case(When(status=Status.DONE, then=Value(ERASED)), default=Value("")),
        decline_reason=Case(When(status=Status.DECLINED, then=Value(ERASED)), default=Value("")),
    )
    return {"referrals_scrubbed": scrubbed}
