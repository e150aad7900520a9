"""Celery beat entries of this app, merged into CELERY_BEAT_SCHEDULE by the settings.

Plain data only: the settings import this module before Django is set up.
"""

BEAT_SCHEDULE: dict[str, dict] = {
    # A check or apply whose worker died shows as interrupted within about three minutes
    # (heartbeat older than two minutes, lock free), so the admin can retry or cancel it.
    "members-sweep-interrupted-imports": {
        "task": "members.tasks.sweep_interrupted_member_imports",
        "schedule": 60.0,
    },
    # Abandoned imports (never confirmed, or stuck) lose their uploaded file and staging rows.
    "members-cleanup-imports": {
        "task": "members.tasks.cleanup_member_imports",
        "schedule": 3600.0,
    },
}
