"""Celery beat entries of this app, merged into CELERY_BEAT_SCHEDULE by the settings.

Plain data only: the settings import this module before Django is set up. The reminder task
claims due registrations with a sent mark, so running it often (or twice) reminds once.
"""

BEAT_SCHEDULE: dict[str, dict] = {
    "meetings-reminders": {
        "task": "meetings.send_reminders",
        "schedule": 15 * 60.0,
    },
}
