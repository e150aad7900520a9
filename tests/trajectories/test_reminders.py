"""Reminders are rows with a sent mark: each goes out exactly once, however often (or how
concurrently) the beat task runs."""

from __future__ import annotations

import datetime
import threading

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone

from tests.conftest import Cast, ensure_reference_data
from tests.trajectories import factories as f
from trajectories import enrolling, services, tasks
from trajectories.models import PlanReview


def _due_review(cast, days=1):
    trajectory = f.active_trajectory(adviser=cast.adviser)
    PlanReview.objects.filter(trajectory=trajectory).update(
        due_on=timezone.localdate() + datetime.timedelta(days=days)
    )
    return trajectory


def test_a_due_review_is_reminded_to_the_adviser_once(cast):
    trajectory = _due_review(cast)
    mail.outbox.clear()
    assert tasks.send_review_reminders() == 1
    assert tasks.send_review_reminders() == 0
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [cast.adviser.email]
    assert str(trajectory.pk) in mail.outbox[0].body
    assert trajectory.member.last_name not in mail.outbox[0].body
    assert PlanReview.objects.get(trajectory=trajectory).reminder_sent_at is not None


def test_a_review_far_ahead_is_not_reminded_yet(cast):
    _due_review(cast, days=20)
    mail.outbox.clear()
    assert tasks.send_review_reminders() == 0
    assert mail.outbox == []


def test_the_next_review_gets_its_own_reminder(cast):
    trajectory = _due_review(cast)
    tasks.send_review_reminders()
    review = PlanReview.objects.get(trajectory=trajectory, held_on__isnull=True)
    following = services.review_hold(by=cast.adviser, review=review)
    PlanReview.objects.filter(pk=following.pk).update(due_on=timezone.localdate())
    mail.outbox.clear()
    assert tasks.send_review_reminders() == 1


def test_a_session_reminder_goes_to_each_enrolled_participant_once(cast):
    session = f.session(capacity=1, starts_in=datetime.timedelta(hours=20))
    first = f.active_trajectory(adviser=cast.adviser)
    second = f.active_trajectory(adviser=cast.adviser)
    enrolling.enrol(by=cast.adviser, trajectory=first, session=session)
    enrolling.enrol(by=cast.adviser, trajectory=second, session=session)  # waiting list
    mail.outbox.clear()
    assert tasks.send_session_reminders() == 1
    assert tasks.send_session_reminders() == 0
    assert [m.to for m in mail.outbox] == [[first.member.email]]


def test_a_session_next_week_is_not_reminded_yet(cast):
    session = f.session(starts_in=datetime.timedelta(days=7))
    enrolling.enrol(
        by=cast.adviser, trajectory=f.active_trajectory(adviser=cast.adviser), session=session
    )
    assert tasks.send_session_reminders() == 0


@pytest.mark.django_db(transaction=True)
def test_concurrent_reminder_runs_send_each_reminder_once():
    ensure_reference_data()
    cast = Cast()
    reviews = 6
    for _ in range(reviews):
        _due_review(cast)
    session = f.session(capacity=10, starts_in=datetime.timedelta(hours=5))
    for _ in range(5):
        enrolling.enrol(
            by=cast.adviser, trajectory=f.active_trajectory(adviser=cast.adviser), session=session
        )
    mail.outbox.clear()
    barrier = threading.Barrier(4)
    counts: list[int] = []

    def run(task) -> None:
        try:
            barrier.wait()
            counts.append(task())
        finally:
            connection.close()

    runners = [
        tasks.send_review_reminders,
        tasks.send_review_reminders,
        tasks.send_session_reminders,
        tasks.send_session_reminders,
    ]
    threads = [threading.Thread(target=run, args=(t,)) for t in runners]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(counts) == reviews + 5
    assert len(mail.outbox) == reviews + 5
    assert not PlanReview.objects.due_for_reminder(timezone.localdate()).exists()
