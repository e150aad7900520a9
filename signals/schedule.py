"""Celery beat entries of this app, merged into CELERY_BEAT_SCHEDULE by the settings.

Plain data only: the settings import this module before Django is set up.
"""

from celery.schedules import crontab

BEAT_SCHEDULE: dict[str, dict] = {
    "signals-detect": {"task": "signals.tasks.detect_signals", "schedule": 15 * 60.0},
    "signals-reminders": {"task": "signals.tasks.send_reminders", "schedule": 60 * 60.0},
    "signals-digest": {
        "task": "signals.tasks.send_daily_digest",
        "schedule": crontab(hour=7, minute=30),
    },
}
