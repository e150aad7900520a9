"""Portal-wide background tasks."""

from celery import shared_task
from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from audit.models import AuditAction
from audit.services import audit_log
from core import registry

HEARTBEAT_KEY = "fnvregio:heartbeat"


@shared_task(name="fnvregio.tasks.heartbeat", ignore_result=True, time_limit=30)
def heartbeat() -> str:
    """Prove that beat schedules and a worker runs: record when the last beat was handled."""
    now = timezone.now().isoformat()
    cache.set(HEARTBEAT_KEY, now, timeout=None)
    return now


@shared_task(
    name="fnvregio.tasks.apply_retention",
    acks_late=True,
    time_limit=30 * 60,
    soft_time_limit=25 * 60,
)
def apply_retention() -> dict[str, int]:
    """Nightly: delete or pseudonymise what has passed its retention period, and record what
    was done in the audit log. Each handler only touches rows past their period, so a second
    run the same night finds nothing left to do."""
    report = registry.apply_retention(now=timezone.now(), days=settings.FNV_RETENTION_DAYS)
    summary = ", ".join(f"{key}={value}" for key, value in sorted(report.items()))
    audit_log(action=AuditAction.DELETE, object_type="retention", detail=summary or "niets te doen")
    return report
