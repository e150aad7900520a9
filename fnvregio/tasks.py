"""Portal-wide background tasks."""

from celery import shared_task
from django.core.cache import cache
from django.utils import timezone

HEARTBEAT_KEY = "fnvregio:heartbeat"


@shared_task(name="fnvregio.tasks.heartbeat", ignore_result=True, time_limit=30)
def heartbeat() -> str:
    """Prove that beat schedules and a worker runs: record when the last beat was handled."""
    now = timezone.now().isoformat()
    cache.set(HEARTBEAT_KEY, now, timeout=None)
    return now
