"""Exactly one reminder per appointment per recipient: run twice, two workers at once, a worker
that dies half-way, and a booking made inside the reminder lead time."""

from __future__ import annotations

import threading
from datetime import time, timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from loopbaan import tasks
from loopbaan.models import Reminder
from loopbaan.services import appointment_book
from tests.conftest import Cast
from tests.loopbaan.helpers import consultant_at, make_appointment, next_weekday_at, slot


def reminder_mails():
    return [m for m in mail.outbox if "Herinnering" in m.subject]


def due_appointment(cast, count=1):
    """Appointments whose reminders are due now (start in 20 hours)."""
    made = []
    for n in range(count):
        pool = [consultant_at(cast.union_house) for _ in range(2)]
        start = timezone.now() + timedelta(hours=20, minutes=n)
        appointment = make_appointment(cast.member, pool, cast.union_house, start)
        for user in [cast.member_user, *pool]:
            Reminder.objects.create(
                appointment=appointment, recipient=user, due_at=start - timedelta(hours=24)
            )
        made.append(appointment)
    return made


def test_a_run_sends_each_due_reminder_once_and_a_second_run_sends_nothing(cast):
    due_appointment(cast)
    assert tasks.send_due_reminders() == 3
    assert tasks.send_due_reminders() == 0
    assert len(reminder_mails()) == 3
    assert not Reminder.objects.filter(sent_at__isnull=True).exists()


def test_reminders_that_are_not_due_yet_wait(cast):
    pool = [consultant_at(cast.union_house) for _ in range(2)]
    appointment = make_appointment(cast.member, pool, cast.union_house, next_weekday_at(2, 10))
    Reminder.objects.create(
        appointment=appointment,
        recipient=cast.member_user,
        due_at=appointment.starts_at - timedelta(hours=24),
    )
    assert tasks.send_due_reminders() == 0
    assert reminder_mails() == []


def test_a_worker_that_dies_half_way_sends_nothing_twice_and_the_rest_follows_later(
    cast, monkeypatch
):
    due_appointment(cast, count=2)
    real_send = tasks.send_reminder
    calls = {"n": 0}

    def dying_send(reminder):
        calls["n"] += 1
        if calls["n"] == 3:
            raise SystemExit("worker killed")  # not an Exception: nothing catches it
        real_send(reminder)

    monkeypatch.setattr(tasks, "send_reminder", dying_send)
    with pytest.raises(SystemExit):
        tasks.send_due_reminders()
    assert len(reminder_mails()) == 2
    assert Reminder.objects.filter(sent_at__isnull=False).count() == 2  # the third rolled back
    monkeypatch.setattr(tasks, "send_reminder", real_send)
    assert tasks.send_due_reminders() == 4
    assert len(reminder_mails()) == 6
    assert len({(m.to[0], m.body) for m in reminder_mails()}) == 6


def test_a_failing_mail_is_retried_in_the_next_run_without_stopping_the_others(cast, monkeypatch):
    due_appointment(cast)
    real_send = tasks.send_reminder
    failing = Reminder.objects.order_by("pk").first()

    def flaky(reminder):
        if reminder.pk == failing.pk:
            raise ConnectionError("smtp down")
        real_send(reminder)

    monkeypatch.setattr(tasks, "send_reminder", flaky)
    assert tasks.send_due_reminders() == 2
    failing.refresh_from_db()
    assert failing.sent_at is None
    monkeypatch.setattr(tasks, "send_reminder", real_send)
    assert tasks.send_due_reminders() == 1
    assert len(reminder_mails()) == 3


@override_settings(FNV={"MIN_GROUP_SIZE": 3, "APPOINTMENT_MIN_NOTICE_HOURS": 2})
def test_a_late_booking_inside_the_lead_time_still_gets_its_reminder(
    cast, django_capture_on_commit_callbacks
):
    start = (timezone.localtime() + timedelta(hours=4)).replace(minute=0, second=0, microsecond=0)
    while start.hour >= 22:  # keep the hour inside one day's availability window
        start += timedelta(hours=1)
    for _ in range(2):
        consultant_at(
            cast.union_house,
            weekday=start.weekday(),
            start=time(0),
            end=time(23, 59),
        )
    with django_capture_on_commit_callbacks(execute=True):
        appointment = appointment_book(member=cast.member, slot=slot(cast.union_house, start))
    assert Reminder.objects.filter(appointment=appointment, sent_at__isnull=False).count() == 3
    assert len(reminder_mails()) == 3
    assert tasks.send_due_reminders() == 0


def test_two_workers_at_once_never_send_a_reminder_twice(threads_db):
    cast = Cast()
    due_appointment(cast, count=5)  # 15 reminders
    barrier = threading.Barrier(2)
    results = []

    def worker():
        try:
            barrier.wait()
            results.append(tasks.send_due_reminders())
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(results) == 15
    assert len(reminder_mails()) == 15
    assert len({(m.to[0], m.body) for m in reminder_mails()}) == 15
    assert not Reminder.objects.filter(sent_at__isnull=True).exists()
