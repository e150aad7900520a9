"""Celery beat entries of this app, merged into CELERY_BEAT_SCHEDULE by the settings.

Plain data only: the settings import this module before Django is set up.
"""

BEAT_SCHEDULE: dict[str, dict] = {
    # Abandoned imports (never confirmed, or stuck) lose their uploaded file and staging rows.
    "members-cleanup-imports": {
        "task": "members.tasks.cleanup_member_imports",
        "schedule": 3600.0,
    },
}
