"""Celery beat entries of this app, merged into CELERY_BEAT_SCHEDULE by the settings.

Plain data only: the settings import this module before Django is set up.
"""

BEAT_SCHEDULE: dict[str, dict] = {
    # Deadline and review reminders: rows in the database, each sent once (see plans.services).
    "plans-send-reminders": {"task": "plans.tasks.send_reminders", "schedule": 15 * 60.0},
}
