"""Celery beat entries of this app, merged into CELERY_BEAT_SCHEDULE by the settings.

Plain data only: the settings import this module before Django is set up.
"""

from celery.schedules import crontab

BEAT_SCHEDULE: dict[str, dict] = {
    # Every dashboard's figures computed before the working day (dashboard.snapshots).
    "dashboard-refresh": {
        "task": "dashboard.tasks.refresh_dashboards",
        "schedule": crontab(hour=5, minute=15),
    },
}
