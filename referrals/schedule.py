"""Celery beat entries of this app, merged into CELERY_BEAT_SCHEDULE by the settings.

Plain data only: the settings import this module before Django is set up.
"""

BEAT_SCHEDULE: dict[str, dict] = {
    "referrals-reminders": {"task": "referrals.tasks.send_reminders", "schedule": 60 * 60.0},
}
