"""Celery beat entries of this app, merged into CELERY_BEAT_SCHEDULE by the settings.

Plain data only: the settings import this module before Django is set up. The tasks claim
due rows with a sent mark, so running them often (or twice) never sends a reminder twice.
"""

BEAT_SCHEDULE: dict[str, dict] = {
    "trajectories-review-reminders": {
        "task": "trajectories.send_review_reminders",
        "schedule": 15 * 60.0,
    },
    "trajectories-session-reminders": {
        "task": "trajectories.send_session_reminders",
        "schedule": 15 * 60.0,
    },
}
