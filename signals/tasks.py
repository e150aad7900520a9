"""Scheduled work of the signals app: detection and reminders. The email tasks are defined
beside `notify` in signals/notifications.py (imported here, so a worker registers them under
their names `signals.tasks.send_signal_emails` and `signals.tasks.send_daily_digest`)."""

from __future__ import annotations

from celery import shared_task

from signals import notifications
from signals.detection import run_detection
from signals.notifications import send_daily_digest, send_signal_emails

__all__ = ["detect_signals", "send_daily_digest", "send_reminders", "send_signal_emails"]


@shared_task(
    name="signals.tasks.detect_signals", ignore_result=True, time_limit=600, soft_time_limit=540
)
def detect_signals(full: bool | None = None) -> dict:
    result = run_detection(full=full)
    return {"full": result.full, "opened": result.opened, "grown": result.grown}


@shared_task(
    name="signals.tasks.send_reminders", ignore_result=True, time_limit=300, soft_time_limit=240
)
def send_reminders() -> int:
    return notifications.send_reminders()
