"""Prometheus metrics at /metrics, protected by a bearer token (FNV_METRICS_TOKEN).

What is measured, and where it lives:
- request latency per view (`fnv_http_request_duration_seconds{view,method,status}`): measured
  by `MetricsMiddleware` in each web process. gunicorn runs several processes, so they write
  to PROMETHEUS_MULTIPROC_DIR (a local folder per machine, emptied at start; see
  gunicorn.conf.py) and the endpoint adds them up. Each web machine is scraped on its own, as
  Prometheus does.
- Celery tasks (`fnv_celery_tasks_total{task,outcome}`,
  `fnv_celery_task_duration_seconds_sum/_count{task}`): counted by the workers in Redis (a
  hash), because workers run on other machines than the endpoint.
- read when scraped: queue lengths (`fnv_celery_queue_length{queue}`, Redis LLEN), the age of
  the last heartbeat (`fnv_heartbeat_age_seconds`), and the member imports that are running
  (`fnv_member_import_progress_ratio{import_id,status}`).

No label ever holds personal data: view names, task names, queue names and import ids only.
"""

from __future__ import annotations

import datetime as dt
import hmac
import os
import time
from collections.abc import Iterator

from celery import signals
from django.conf import settings
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.registry import Collector

from fnvregio.queues import QUEUES
from fnvregio.tasks import HEARTBEAT_KEY

REQUEST_SECONDS = Histogram(
    "fnv_http_request_duration_seconds",
    "Time to answer a request, per view.",
    ["view", "method", "status"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)


def tasks_key() -> str:
    return os.environ.get("CACHE_KEY_PREFIX", "fnvregio") + ":metrics:tasks"


_started: dict[str, float] = {}


class MetricsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        view = (match.view_name if match else "") or "unresolved"
        REQUEST_SECONDS.labels(view, request.method, f"{response.status_code // 100}xx").observe(
            time.perf_counter() - started
        )
        return response


# --- Celery: counted in Redis, by the workers -------------------------------------------------


def _redis():
    url = getattr(settings, "REDIS_CLIENT_URL", "")
    if not url:
        return None
    import redis

    return redis.Redis.from_url(url, socket_timeout=2)


@signals.task_prerun.connect
def _task_started(task_id=None, **_kwargs) -> None:
    if task_id:
        _started[task_id] = time.perf_counter()


@signals.task_postrun.connect
def _task_ended(task_id=None, task=None, state=None, **_kwargs) -> None:
    started = _started.pop(task_id, None) if task_id else None
    client = _redis()
    if client is None or task is None:
        return
    outcome = "success" if state == "SUCCESS" else (state or "unknown").lower()
    try:
        pipe = client.pipeline()
        pipe.hincrby(tasks_key(), f"count|{task.name}|{outcome}", 1)
        if started is not None:
            pipe.hincrbyfloat(tasks_key(), f"seconds|{task.name}", time.perf_counter() - started)
            pipe.hincrby(tasks_key(), f"timed|{task.name}", 1)
        pipe.execute()
    except Exception:  # noqa: BLE001, S110 (metrics never break a task)
        pass


class PortalCollector(Collector):
    """Figures read when Prometheus scrapes."""

    def collect(self) -> Iterator:
        client = _redis()
        queues = GaugeMetricFamily(
            "fnv_celery_queue_length", "Tasks waiting in a Celery queue.", labels=["queue"]
        )
        tasks = CounterMetricFamily(
            "fnv_celery_tasks", "Celery tasks run, by outcome.", labels=["task", "outcome"]
        )
        seconds = CounterMetricFamily(
            "fnv_celery_task_duration_seconds", "Time spent in Celery tasks.", labels=["task"]
        )
        timed = CounterMetricFamily(
            "fnv_celery_task_runs_timed", "Celery task runs with a measured time.", labels=["task"]
        )
        if client is not None:
            for queue in QUEUES:
                queues.add_metric([queue], client.llen(queue))
            for raw_key, raw_value in client.hgetall(tasks_key()).items():
                kind, _sep, rest = raw_key.decode().partition("|")
                value = float(raw_value)
                if kind == "count":
                    name, _sep, outcome = rest.rpartition("|")
                    tasks.add_metric([name, outcome], value)
                elif kind == "seconds":
                    seconds.add_metric([rest], value)
                elif kind == "timed":
                    timed.add_metric([rest], value)
        yield from (queues, tasks, seconds, timed)

        heartbeat = GaugeMetricFamily(
            "fnv_heartbeat_age_seconds",
            "Seconds since a worker last handled beat's heartbeat (-1: never).",
        )
        last = cache.get(HEARTBEAT_KEY)
        age = -1.0
        if last:
            age = (timezone.now() - dt.datetime.fromisoformat(last)).total_seconds()
        heartbeat.add_metric([], age)
        yield heartbeat

        from members.models import ImportStatus, MemberImport

        progress = GaugeMetricFamily(
            "fnv_member_import_progress_ratio",
            "Progress of the member imports being checked or applied (0-1).",
            labels=["import_id", "status"],
        )
        running = MemberImport.objects.filter(
            status__in=[ImportStatus.VALIDATING, ImportStatus.APPLYING, ImportStatus.QUEUED]
        ).only("pk", "status", "bytes_done", "file_size")
        for member_import in running:
            progress.add_metric(
                [str(member_import.pk), member_import.status],
                member_import.progress_percent / 100,
            )
        yield progress


def _registry() -> CollectorRegistry:
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.MultiProcessCollector(registry)
    else:
        registry.register(REQUEST_SECONDS)
    registry.register(PortalCollector())
    return registry


def _authorised(request: HttpRequest) -> bool:
    token = settings.FNV_METRICS_TOKEN
    given = request.META.get("HTTP_AUTHORIZATION", "").removeprefix("Bearer ").strip()
    return bool(token) and hmac.compare_digest(given.encode(), token.encode())


@never_cache
@require_GET
def metrics_view(request: HttpRequest) -> HttpResponse:
    """Without FNV_METRICS_TOKEN, or without the right bearer token: 404, as if not there."""
    if not _authorised(request):
        raise Http404
    return HttpResponse(generate_latest(_registry()), content_type=CONTENT_TYPE_LATEST)
