"""Background work of the referrals app: reminders of referrals nobody picked up."""

from __future__ import annotations

from celery import shared_task

from referrals import reminders


@shared_task(
    name="referrals.tasks.send_reminders", ignore_result=True, time_limit=300, soft_time_limit=240
)
def send_reminders() -> int:
    return reminders.send_reminders()
