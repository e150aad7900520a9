"""Celery beat entries of this app, merged into CELERY_BEAT_SCHEDULE by the settings.

Plain data only: the settings import this module before Django is set up.
Reminders are rows in the database (loopbaan.models.Reminder); this run claims the due ones
every minute, so nothing is ever scheduled with a long eta.
"""

BEAT_SCHEDULE: dict[str, dict] = {
    "loopbaan-send-due-reminders": {
        "task": "loopbaan.tasks.send_due_reminders",
        "schedule": 60.0,
        "options": {"expires": 55},
    },
}
