"""Queues by urgency (#18 item 2): where every task goes, the limits that keep a queue moving,
a reminder that goes out while the only bulk worker checks a long import, and exactly one beat
with two beats running.

The last two start real processes (Celery workers and beats against the real Redis and the
test database); each is stopped with its whole process group in a `finally`.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.db import connection
from django.utils import timezone

from fnvregio import queues
from fnvregio.celery import app

# The long tasks must be safe to hand to another worker when theirs dies.
LONGEST_TASK_SECONDS = 2 * 3600


def _registered() -> dict[str, object]:
    app.loader.import_default_modules()
    return {name: task for name, task in app.tasks.items() if not name.startswith("celery.")}


def test_every_task_has_a_known_queue_and_the_urgent_ones_are_short():
    routes = {name: queues.queue_for(name) for name in _registered()}
    assert set(routes.values()) <= set(queues.QUEUES)
    # What must go out within the minute.
    for name in (
        "plans.tasks.send_reminders",
        "loopbaan.tasks.send_due_reminders",
        "loopbaan.tasks.send_appointment_mail",
        "signals.tasks.send_signal_emails",
        "members.tasks.send_activation_mail",
        "fnvregio.tasks.heartbeat",
    ):
        assert routes[name] == queues.URGENT, name
    for name in (
        "members.tasks.validate_member_import",
        "members.tasks.apply_member_import",
        "fnvregio.tasks.apply_retention",
    ):
        assert routes[name] == queues.BULK, name
    # Detection: incremental runs are short, full runs are bulk.
    assert queues.queue_for("signals.tasks.detect_signals") == queues.DEFAULT
    assert queues.queue_for("signals.tasks.detect_signals", (True,)) == queues.BULK
    assert queues.queue_for("signals.tasks.detect_signals", (), {"full": True}) == queues.BULK
    # Every urgent task is short: at most five minutes.
    tasks = _registered()
    for name, queue in routes.items():
        if queue == queues.URGENT:
            limit = tasks[name].time_limit or settings.CELERY_TASK_TIME_LIMIT
            assert limit <= 300, f"{name} is urgent but may run {limit} s"


def test_the_router_is_what_celery_uses():
    route = app.amqp.router.route({}, "plans.tasks.send_reminders")
    assert route["queue"].name == queues.URGENT
    route = app.amqp.router.route({}, "members.tasks.apply_member_import", args=(1,))
    assert route["queue"].name == queues.BULK
    # A caller that names a queue (the tests' private queues) keeps it.
    route = app.amqp.router.route({"queue": "elsewhere"}, "plans.tasks.send_reminders")
    assert route["queue"].name == "elsewhere"


def test_time_limits_everywhere_and_redis_waits_longer_than_the_longest_task():
    timeout = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    for name, task in _registered().items():
        limit = task.time_limit or settings.CELERY_TASK_TIME_LIMIT
        assert limit, f"{name} has no time limit"
        assert limit <= LONGEST_TASK_SECONDS, name
        assert timeout > limit, f"{name} may outlive Redis' visibility timeout"
    # The long, idempotent work is acknowledged only when done, so a killed worker's task
    # goes to the next one.
    for name in queues.BULK_TASKS & set(_registered()):
        assert _registered()[name].acks_late, name


# --- real processes ---------------------------------------------------------------------------


def _redis_url() -> str:
    url = os.environ.get("REDIS_URL")
    if not url:
        pytest.skip("needs REDIS_URL (a real Redis for the workers and beats)")
    return url


def _start(command: list[str], env: dict, log: Path) -> subprocess.Popen:
    handle = log.open("ab")
    return subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "celery", "-A", "fnvregio", *command],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=handle,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group, stopped as a whole
    )


def _stop(*processes: subprocess.Popen) -> None:
    for process in processes:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
    for process in processes:
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


def _wait_for(condition, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if value := condition():
            return value
        time.sleep(0.1)
    raise AssertionError(f"waited {seconds} s for {what}")


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_a_reminder_goes_out_while_the_only_bulk_worker_checks_a_long_import(tmp_path):
    from members.importing import parallel
    from members.importing.staging import staging_table
    from members.models import ImportStatus, MemberImport
    from plans.models import PlanReminder
    from tests.conftest import ensure_reference_data
    from tests.factories import UserFactory
    from tests.plans.helpers import make_plan

    ensure_reference_data()
    broker = _redis_url()
    var = tmp_path / "var"
    (var / "media" / "member-imports").mkdir(parents=True)
    prefix = f"fnv-queues-{os.getpid()}"
    env = {
        **os.environ,
        "DATABASE_URL": parallel._this_database_url(),
        "FNV_VAR_DIR": str(var),
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "CACHE_KEY_PREFIX": prefix,
        "FNV_IMPORT_PARALLEL_BYTES": "0",
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
    }
    # Private queue names, so that no other test's worker takes these tasks.
    bulk_queue, urgent_queue = f"{prefix}-bulk", f"{prefix}-urgent"

    # A long check: 600,000 rows.
    upload = var / "media" / "member-imports" / "long.upload"
    with upload.open("w") as handle:
        handle.write("lidnummer;achternaam;geboortedatum\r\n")
        for index in range(600_000):
            handle.write(f"{2_000_000 + index};Naam{index};1-2-1980\r\n")
    member_import = MemberImport.objects.create(
        file_name="leden.csv", file_path=str(upload), source="portal"
    )
    # A plan whose last reminder before the deadline is due.
    official = UserFactory(role="regional_official")
    from regions.models import Region

    region = Region.objects.get(code="AM13")
    official.regions.add(region)
    make_plan(region, deadline=timezone.localdate() + timezone.timedelta(days=2))

    bulk = _start(
        [
            "worker",
            "--pool=solo",
            "-Q",
            bulk_queue,
            "--prefetch-multiplier",
            "1",
            "--without-heartbeat",
            "--without-mingle",
            "--without-gossip",
            "-l",
            "warning",
            "-n",
            f"bulk-{prefix}@%h",
        ],
        env,
        tmp_path / "bulk.log",
    )
    urgent = _start(
        [
            "worker",
            "--pool=solo",
            "-Q",
            urgent_queue,
            "--without-heartbeat",
            "--without-mingle",
            "--without-gossip",
            "-l",
            "warning",
            "-n",
            f"urgent-{prefix}@%h",
        ],
        env,
        tmp_path / "urgent.log",
    )
    previous = {key: app.conf[key] for key in ("task_always_eager", "broker_url")}
    app.conf.update(task_always_eager=False, broker_url=broker)
    try:
        app.send_task(
            "members.tasks.validate_member_import", args=[member_import.pk], queue=bulk_queue
        )

        def checking():
            member_import.refresh_from_db()
            return member_import.status == ImportStatus.VALIDATING and member_import.bytes_done

        _wait_for(checking, 120, "the bulk worker to be checking the import")
        sent_at = time.monotonic()
        app.send_task("plans.tasks.send_reminders", queue=urgent_queue)
        mail_dir = var / "mail"
        # The mail is written inside the transaction that marks the reminder sent: wait for
        # both, or the row may be read a moment before the worker commits it.
        sent = PlanReminder.objects.filter(sent_at__isnull=False, recipient_count=1)
        _wait_for(
            lambda: mail_dir.exists() and any(mail_dir.iterdir()) and sent.exists(),
            60,
            "the reminder mail",
        )
        took = time.monotonic() - sent_at
        member_import.refresh_from_db()
        # The reminder did not wait for the import: the check is still running.
        assert member_import.status == ImportStatus.VALIDATING, (
            "the import finished before the reminder; the test needs a longer import"
        )
        assert took < 60
        assert sent.count() == 1
        print(f"reminder sent {took:.1f} s after it was queued, beside a running import check")
    finally:
        app.conf.update(previous)
        _stop(bulk, urgent)
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {staging_table(member_import)}")


def _origins(client: redis.Redis, queue: str) -> list[str]:
    return [json.loads(raw)["headers"]["origin"] for raw in client.lrange(queue, 0, -1)]


@pytest.mark.celery_worker
def test_two_beats_running_send_each_entry_once(tmp_path):
    """Two beats (two machines, or a deploy that overlaps the old one): one holds the lock in
    Redis and sends; the other waits and takes over when the first dies."""
    base = _redis_url().rsplit("/", 1)[0]
    url = f"{base}/13"  # a database of its own, emptied first
    client = redis.Redis.from_url(url)
    client.flushdb()
    prefix = f"fnv-beat-{os.getpid()}"
    env = {
        **os.environ,
        "REDIS_URL": url,
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "CACHE_KEY_PREFIX": prefix,
        "FNV_HEARTBEAT_SECONDS": "1",
        "FNV_BEAT_LOCK_SECONDS": "10",
    }
    beats = []
    try:
        for number in (1, 2):
            var = tmp_path / f"var{number}"
            var.mkdir()
            beats.append(
                _start(
                    ["beat", "-l", "info"],
                    {**env, "FNV_VAR_DIR": str(var)},
                    tmp_path / f"beat{number}.log",
                )
            )
        _wait_for(lambda: len(_origins(client, queues.URGENT)) >= 4, 60, "heartbeats sent")
        time.sleep(3)
        origins = _origins(client, queues.URGENT)
        senders = set(origins)
        assert len(senders) == 1, f"two beats sent: {senders}"
        holder_pid = int(next(iter(senders)).split("@")[0].removeprefix("gen"))
        holder = next(beat for beat in beats if beat.pid == holder_pid)
        standby = next(beat for beat in beats if beat is not holder)
        # The holder dies without releasing the lock: the standby takes over once it expires.
        os.killpg(holder.pid, signal.SIGKILL)
        holder.wait(timeout=10)
        _wait_for(
            lambda: f"gen{standby.pid}@" in " ".join(_origins(client, queues.URGENT)),
            40,
            "the standby beat to take over",
        )
        print(f"beats: one sender of {len(origins)} heartbeats; the standby took over")
    finally:
        _stop(*beats)
        client.flushdb()
