"""Health checks for the load balancer and the orchestrator.

- `/healthz` (liveness): the process answers. No database, no Redis: a restart would not help
  when those are down, and the load balancer's ping must stay cheap.
- `/healthz/ready` (readiness): the database answers, Redis answers, every migration is
  applied (checked once per process until true: migrations are not unapplied), and beat's
  heartbeat is recent (within three heartbeat intervals). 200 with the checks as JSON, or 503
  with the failed ones named, so a machine that is not ready gets no traffic.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from fnvregio.tasks import HEARTBEAT_KEY

_migrated = False


@never_cache
@require_GET
def live(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


def _database() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return True


def _redis() -> bool:
    cache.set("fnvregio:ready-probe", 1, timeout=10)
    return cache.get("fnvregio:ready-probe") == 1


def _migrations() -> bool:
    global _migrated
    if not _migrated:
        executor = MigrationExecutor(connection)
        _migrated = not executor.migration_plan(executor.loader.graph.leaf_nodes())
    return _migrated


def _beat() -> bool:
    last = cache.get(HEARTBEAT_KEY)
    if not last:
        return False
    interval = settings.CELERY_BEAT_SCHEDULE["heartbeat"]["schedule"]
    age = timezone.now() - dt.datetime.fromisoformat(last)
    return age <= dt.timedelta(seconds=3 * float(interval))


CHECKS = {"database": _database, "redis": _redis, "migrations": _migrations, "beat": _beat}


@never_cache
@require_GET
def ready(request: HttpRequest) -> JsonResponse:
    results = {}
    for name, check in CHECKS.items():
        try:
            results[name] = bool(check())
        except Exception:  # noqa: BLE001 (a failing dependency is an answer, not an error)
            results[name] = False
    ok = all(results.values())
    return JsonResponse(
        {"status": "ok" if ok else "not ready", "checks": results}, status=200 if ok else 503
    )
