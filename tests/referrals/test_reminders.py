"""A referral nobody touches by its due date gets a reminder, then one a week, each exactly once."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from referrals import services
from referrals.models import Referral, ReferralReminder
from referrals.reminders import send_reminders
from tests.referrals.helpers import make_referral

pytestmark = pytest.mark.django_db


def _due_ago(referral, days: float) -> dt.datetime:
    now = timezone.now()
    Referral.objects.filter(pk=referral.pk).update(due_at=now - dt.timedelta(days=days))
    return now


def test_nothing_is_sent_before_the_due_date(cast):
    make_referral(cast, kind="legal")
    assert send_reminders() == 0
    assert mail.outbox == []


def test_an_untouched_referral_is_reminded_once_at_its_due_date(cast):
    referral = make_referral(cast, kind="legal", consent=True)
    now = _due_ago(referral, 0.5)
    assert send_reminders(now=now) == 1
    assert send_reminders(now=now + dt.timedelta(hours=1)) == 0
    [message] = mail.outbox
    assert message.to == [cast.legal.email]
    assert f"doorverwijzing {referral.pk}" in message.subject.lower()
    assert cast.member.last_name not in message.body  # no personal data in an inbox
    assert f"/doorverwijzingen/{referral.pk}/" in message.body


def test_a_week_later_it_is_reminded_again_and_only_once(cast):
    referral = make_referral(cast, kind="workshop")
    now = _due_ago(referral, 0.1)
    send_reminders(now=now)
    send_reminders(now=now + dt.timedelta(days=7))
    send_reminders(now=now + dt.timedelta(days=7, hours=2))
    assert len(mail.outbox) == 2
    assert {m.to[0] for m in mail.outbox} == {cast.coordinator.email}
    assert list(ReferralReminder.objects.values_list("number", flat=True).order_by("number")) == [
        1,
        2,
    ]


def test_an_accepted_referral_is_not_reminded(cast):
    referral = make_referral(cast, kind="legal")
    services.accept(referral=referral, by=cast.legal)
    now = _due_ago(referral, 3)
    assert send_reminders(now=now) == 0
    assert mail.outbox == []


def test_a_missed_run_sends_only_the_current_reminder(cast):
    referral = make_referral(cast, kind="legal")
    now = _due_ago(referral, 22)
    assert send_reminders(now=now) == 1
    assert ReferralReminder.objects.get().number == 4


def test_a_referral_without_a_receiver_reminds_the_admins(cast):
    from referrals.services import Source, refer
    from tests.factories import MemberFactory

    member = MemberFactory(region=None, postcode="")
    [referral] = refer(
        by=cast.consultant,
        source=Source(app="signals", id=3, member=member, region=None, sector=None, employer=None),
        kinds=["workshop"],
        consent=False,
    )
    send_reminders(now=_due_ago(referral, 1))
    assert [m.to for m in mail.outbox] == [[cast.admin.email]]
