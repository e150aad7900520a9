"""Issue 12, item 6: an import whose worker died is shown as interrupted within minutes, and
the admin can retry it (to completion) or cancel it at once (staging table and upload go).

The "dead worker" is a real history: the import row left as a killed worker leaves it (status,
progress, an old heartbeat, a half-filled staging table, rejected rows of the half-done check),
and in the last tests a real Celery worker process killed with SIGKILL in the middle of a check
and of an apply.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEntry
from fnvregio.celery import app
from members.importing import (
    apply_import,
    applying,
    import_is_running,
    parallel,
    staging,
    staging_exists,
    validate_import,
    validating,
)
from members.importing.locks import HELPER_LOCK, IMPORT_LOCK
from members.importing.staging import staging_table
from members.importing.status import STALE_AFTER, fail_import, mark_interrupted_imports
from members.models import ImportStatus, Member, MemberImport, MemberImportError
from members.schedule import BEAT_SCHEDULE
from members.tasks import apply_member_import, validate_member_import
from tests.conftest import login

pytestmark = pytest.mark.django_db

LATER = STALE_AFTER + dt.timedelta(seconds=30)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def csv_rows(count: int, first: int = 1_000_000) -> str:
    return "lidnummer;achternaam;geboortedatum\r\n" + "".join(
        f"{first + index};Naam{index};1-2-1980\r\n" for index in range(count)
    )


def uploaded(tmp_path, content: str, admin=None) -> MemberImport:
    folder = Path(settings.MEDIA_ROOT) / "member-imports"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{os.urandom(8).hex()}.upload"
    path.write_text(content)
    return MemberImport.objects.create(
        created_by=admin, file_name="leden.csv", file_path=str(path), source="portal"
    )


def died_while_checking(member_import: MemberImport, minutes_ago: float = 5) -> MemberImport:
    """What a worker killed at 72% of its check leaves: status, progress, a half-filled staging
    table, the rejected rows found so far, and a heartbeat from when it died."""
    name = staging_table(member_import)
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE UNLOGGED TABLE {name} (line integer, member_number text)")
        cursor.execute(f"INSERT INTO {name} VALUES (2, '1000000')")
    MemberImportError.objects.create(member_import=member_import, line=3, message="half")
    beat = timezone.now() - dt.timedelta(minutes=minutes_ago)
    MemberImport.objects.filter(pk=member_import.pk).update(
        status=ImportStatus.VALIDATING, bytes_done=72, file_size=100, heartbeat_at=beat
    )
    member_import.refresh_from_db()
    return member_import


def died_while_applying(member_import: MemberImport) -> MemberImport:
    """Checked and confirmed; the worker claimed the apply and died inside its transaction
    (which PostgreSQL rolled back): status applying, staging table intact, nothing written."""
    validate_import(member_import)
    MemberImport.objects.filter(pk=member_import.pk).update(
        status=ImportStatus.APPLYING, heartbeat_at=timezone.now() - dt.timedelta(minutes=5)
    )
    member_import.refresh_from_db()
    return member_import


@contextlib.contextmanager
def lock_held_elsewhere(member_import: MemberImport, key: int = IMPORT_LOCK, shared=False):
    """Another database session (a live worker) holds the import's lock."""
    with psycopg.connect(parallel._this_database_url(), autocommit=True) as other:
        function = "pg_advisory_lock_shared" if shared else "pg_advisory_lock"
        other.execute(f"SELECT {function}(%s, %s)", [key, member_import.pk])
        try:
            yield
        finally:  # at once: a closed session's locks go only when its backend has ended
            unlock = "pg_advisory_unlock_shared" if shared else "pg_advisory_unlock"
            other.execute(f"SELECT {unlock}(%s, %s)", [key, member_import.pk])


def test_the_sweep_runs_every_minute():
    entry = BEAT_SCHEDULE["members-sweep-interrupted-imports"]
    assert entry["task"] == "members.tasks.sweep_interrupted_member_imports"
    assert entry["schedule"] <= 60
    assert dt.timedelta(minutes=5) >= STALE_AFTER


def test_a_check_whose_worker_died_is_marked_interrupted_within_minutes(tmp_path):
    member_import = died_while_checking(uploaded(tmp_path, csv_rows(3)))
    assert mark_interrupted_imports() == 1
    member_import.refresh_from_db()
    assert member_import.status == ImportStatus.INTERRUPTED
    assert member_import.interrupted_during == ImportStatus.VALIDATING
    assert member_import.message.startswith("Onderbroken: het controleren stopte onverwacht")
    assert "Er is niets verwerkt." in member_import.message
    assert not staging_exists(member_import)  # the half-filled table is gone
    assert not member_import.errors.exists()  # and the rejected rows of the half-done check
    assert os.path.exists(member_import.file_path)  # the file stays for a retry
    assert not member_import.is_finished
    assert AuditEntry.objects.filter(object_id=str(member_import.pk), detail="onderbroken")


def test_a_recent_heartbeat_is_left_alone(tmp_path):
    died_while_checking(uploaded(tmp_path, csv_rows(3)), minutes_ago=0.5)
    assert mark_interrupted_imports() == 0
    assert mark_interrupted_imports(now=timezone.now() + LATER) == 1


def test_a_check_that_still_holds_its_lock_is_running_however_old_its_heartbeat(tmp_path):
    member_import = died_while_checking(uploaded(tmp_path, csv_rows(3)), minutes_ago=60)
    with lock_held_elsewhere(member_import):
        assert import_is_running(member_import)
        assert mark_interrupted_imports() == 0
    with lock_held_elsewhere(member_import, HELPER_LOCK, shared=True):  # its second process
        assert mark_interrupted_imports() == 0
    assert not import_is_running(member_import)
    assert mark_interrupted_imports() == 1


def test_a_second_delivery_of_a_running_check_does_nothing(tmp_path):
    member_import = uploaded(tmp_path, csv_rows(3))
    with lock_held_elsewhere(member_import):
        validate_member_import(member_import.pk)
    member_import.refresh_from_db()
    assert member_import.status == ImportStatus.UPLOADED  # left to the process that holds it


def test_the_heartbeat_moves_while_checking(tmp_path, monkeypatch):
    monkeypatch.setattr(staging, "PROGRESS_EVERY", 2)
    monkeypatch.setattr(staging, "BATCH_ROWS", 2)
    beats = []
    real = validating.record_progress

    def watch(member_import, position, total):
        real(member_import, position, total)
        beats.append(MemberImport.objects.get(pk=member_import.pk).heartbeat_at)

    monkeypatch.setattr(validating, "record_progress", watch)
    member_import = uploaded(tmp_path, csv_rows(10))
    before = timezone.now()
    validate_member_import(member_import.pk)
    assert len(beats) >= 4 and all(beat >= before for beat in beats)
    assert beats == sorted(beats)


def test_an_interrupted_check_is_retried_to_completion(
    client, cast, tmp_path, django_capture_on_commit_callbacks
):
    member_import = died_while_checking(uploaded(tmp_path, csv_rows(5), cast.admin))
    mark_interrupted_imports()
    login(client, cast.admin)
    detail = reverse("members:import_detail", kwargs={"pk": member_import.pk})
    page = client.get(detail).content.decode()
    assert "Onderbroken" in page and "Opnieuw starten" in page and "Import annuleren" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("members:import_retry", kwargs={"pk": member_import.pk}))
    assert response.status_code == 302
    member_import.refresh_from_db()
    assert member_import.status == ImportStatus.PREVIEWED
    assert (member_import.rows_total, member_import.to_create, member_import.message) == (5, 5, "")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("members:import_confirm", kwargs={"pk": member_import.pk}))
    member_import.refresh_from_db()
    assert member_import.status == ImportStatus.DONE and member_import.created == 5
    assert Member.objects.filter(member_number__startswith="100000").count() == 5


def test_an_interrupted_apply_is_retried_from_its_checked_rows(
    client, cast, tmp_path, django_capture_on_commit_callbacks
):
    member_import = died_while_applying(uploaded(tmp_path, csv_rows(4), cast.admin))
    upload = member_import.file_path
    assert mark_interrupted_imports() == 1
    member_import.refresh_from_db()
    assert member_import.interrupted_during == ImportStatus.APPLYING
    assert "het verwerken gebeurt in één keer of helemaal niet" in member_import.message
    assert not os.path.exists(upload) and member_import.file_path == ""  # not needed any more
    assert staging_exists(member_import)  # the checked rows, for the retry
    assert not Member.objects.filter(member_number__startswith="100000").exists()
    login(client, cast.admin)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("members:import_retry", kwargs={"pk": member_import.pk}))
    member_import.refresh_from_db()
    assert member_import.status == ImportStatus.DONE and member_import.created == 4
    assert not staging_exists(member_import)
    # idempotent: the task delivered once more does nothing
    assert apply_member_import(member_import.pk) == "skipped"
    assert Member.objects.filter(member_number__startswith="100000").count() == 4


@pytest.mark.parametrize("role", ["member_user", "consultant", "coordinator"])
def test_only_admins_can_retry(client, cast, tmp_path, role):
    member_import = died_while_checking(uploaded(tmp_path, csv_rows(3), cast.admin))
    mark_interrupted_imports()
    login(client, getattr(cast, role))
    response = client.post(reverse("members:import_retry", kwargs={"pk": member_import.pk}))
    assert response.status_code == 404
    member_import.refresh_from_db()
    assert member_import.status == ImportStatus.INTERRUPTED


def test_retry_is_post_only_and_only_for_an_interrupted_import(client, cast, tmp_path):
    member_import = uploaded(tmp_path, csv_rows(3), cast.admin)
    login(client, cast.admin)
    url = reverse("members:import_retry", kwargs={"pk": member_import.pk})
    assert client.get(url).status_code == 405
    client.post(url)
    member_import.refresh_from_db()
    assert member_import.status == ImportStatus.UPLOADED


def test_cancel_of_an_interrupted_import_ends_it_and_removes_staging_and_upload(
    client, cast, tmp_path
):
    member_import = died_while_applying(uploaded(tmp_path, csv_rows(4), cast.admin))
    mark_interrupted_imports()
    member_import.refresh_from_db()
    login(client, cast.admin)
    client.post(reverse("members:import_cancel", kwargs={"pk": member_import.pk}))
    member_import.refresh_from_db()
    assert member_import.status == ImportStatus.CANCELLED
    assert not staging_exists(member_import)
    assert member_import.file_path == ""
    response = client.post(reverse("members:import_retry", kwargs={"pk": member_import.pk}))
    assert response.status_code == 302
    member_import.refresh_from_db()
    assert member_import.status == ImportStatus.CANCELLED  # no retry of a cancelled import


def test_cancel_of_a_check_whose_worker_died_ends_it_at_once(client, cast, tmp_path):
    """Before: cancel only set a flag that nobody would read, and the import stayed at 72%."""
    member_import = died_while_checking(uploaded(tmp_path, csv_rows(3), cast.admin))
    upload = member_import.file_path
    login(client, cast.admin)
    client.post(reverse("members:import_cancel", kwargs={"pk": member_import.pk}))
    member_import.refresh_from_db()
    assert member_import.status == ImportStatus.CANCELLED
    assert not staging_exists(member_import) and not os.path.exists(upload)


def test_cancel_of_a_running_check_asks_it_to_stop(client, cast, tmp_path):
    member_import = died_while_checking(uploaded(tmp_path, csv_rows(3), cast.admin))
    login(client, cast.admin)
    with lock_held_elsewhere(member_import):
        client.post(reverse("members:import_cancel", kwargs={"pk": member_import.pk}))
    member_import.refresh_from_db()
    assert member_import.status == ImportStatus.VALIDATING and member_import.cancel_requested


def test_an_apply_whose_worker_died_can_be_cancelled_but_a_running_one_cannot(
    client, cast, tmp_path
):
    member_import = died_while_applying(uploaded(tmp_path, csv_rows(2), cast.admin))
    login(client, cast.admin)
    url = reverse("members:import_cancel", kwargs={"pk": member_import.pk})
    with lock_held_elsewhere(member_import):
        page = client.get(reverse("members:import_detail", kwargs={"pk": member_import.pk}))
        assert "Import annuleren" not in page.content.decode()
        client.post(url)
        member_import.refresh_from_db()
        assert member_import.status == ImportStatus.APPLYING
    client.post(url)
    member_import.refresh_from_db()
    assert member_import.status == ImportStatus.CANCELLED and not staging_exists(member_import)


def test_the_apply_holds_the_import_lock_while_it_runs(tmp_path, monkeypatch):
    member_import = uploaded(tmp_path, csv_rows(2))
    validate_import(member_import)
    MemberImport.objects.filter(pk=member_import.pk).update(status=ImportStatus.QUEUED)
    member_import.refresh_from_db()
    seen = []
    real = applying._create_employers

    def spy(cursor, name):
        seen.append(import_is_running(member_import))
        return real(cursor, name)

    monkeypatch.setattr(applying, "_create_employers", spy)
    apply_import(member_import)
    assert seen == [True]


def test_a_late_failure_does_not_overwrite_a_cancel(tmp_path):
    member_import = uploaded(tmp_path, csv_rows(1))
    MemberImport.objects.filter(pk=member_import.pk).update(status=ImportStatus.CANCELLED)
    fail_import(member_import.pk)
    member_import.refresh_from_db()
    assert member_import.status == ImportStatus.CANCELLED


# --- A real Celery worker, killed with SIGKILL ---------------------------------------------

QUEUE = f"fnv-import-test-{os.getpid()}"


@pytest.fixture
def reference():
    """The regions, also after an earlier transactional test flushed them."""
    from tests.conftest import ensure_reference_data

    ensure_reference_data()


@pytest.fixture
def worker_env():
    broker = os.environ.get("REDIS_URL")
    if not broker:
        pytest.skip("needs REDIS_URL (a real Redis for the worker)")
    keys = ("task_always_eager", "broker_url", "result_backend")
    previous = {key: app.conf[key] for key in keys}
    app.conf.update(task_always_eager=False, broker_url=broker, result_backend=broker)
    env = {
        **os.environ,
        "DATABASE_URL": parallel._this_database_url(),
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "FNV_IMPORT_PARALLEL_BYTES": "0",  # one process checks the whole file
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
    }
    try:
        yield env
    finally:
        app.conf.update(previous)


def start_worker(env) -> subprocess.Popen:
    return subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "fnvregio",
            "worker",
            "--pool=solo",
            "-Q",
            QUEUE,
            "--without-heartbeat",
            "--without-mingle",
            "--without-gossip",
            "-l",
            "warning",
        ],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def wait_for(condition, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if value := condition():
            return value
        time.sleep(0.05)
    raise AssertionError(f"waited {seconds} s for {what}")


def kill(worker: subprocess.Popen) -> None:
    worker.send_signal(signal.SIGKILL)
    worker.wait(timeout=10)


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("two_processes", [False, True], ids=["one-process", "two-processes"])
def test_a_worker_killed_mid_check_then_sweep_then_retry_to_completion(
    reference, worker_env, tmp_path, client, cast, django_capture_on_commit_callbacks, two_processes
):
    """With two processes, the check's second process outlives the killed worker: the import
    counts as running until it has noticed and stopped (it holds the helper lock)."""
    rows = 150_000
    member_import = uploaded(tmp_path, csv_rows(rows, first=9_100_000_000), cast.admin)
    upload = member_import.file_path
    if two_processes:
        worker_env = {**worker_env, "FNV_IMPORT_PARALLEL_BYTES": "1"}
    worker = start_worker(worker_env)
    try:
        validate_member_import.apply_async([member_import.pk], queue=QUEUE)

        def checking():
            current = MemberImport.objects.get(pk=member_import.pk)
            return current.status == ImportStatus.VALIDATING and current.rows_total > 0

        wait_for(checking, 120, "the worker to check its first rows")
    finally:
        kill(worker)
    # PostgreSQL ends the dead worker's session and frees its lock
    wait_for(lambda: not import_is_running(member_import), 30, "the lock to be freed")
    stuck = MemberImport.objects.get(pk=member_import.pk)
    assert stuck.status == ImportStatus.VALIDATING and 0 < stuck.progress_percent < 100
    assert mark_interrupted_imports() == 0  # not yet: the heartbeat is recent
    assert mark_interrupted_imports(now=timezone.now() + LATER) == 1
    stuck.refresh_from_db()
    assert stuck.status == ImportStatus.INTERRUPTED and not staging_exists(stuck)
    assert os.path.exists(upload)
    # retry (run here, eagerly, as a new worker would) and confirm: to completion
    app.conf.task_always_eager = True
    login(client, cast.admin)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("members:import_retry", kwargs={"pk": member_import.pk}))
    stuck.refresh_from_db()
    assert (stuck.status, stuck.rows_total, stuck.to_create) == (
        ImportStatus.PREVIEWED,
        rows,
        rows,
    )
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("members:import_confirm", kwargs={"pk": member_import.pk}))
    stuck.refresh_from_db()
    assert stuck.status == ImportStatus.DONE and stuck.created == rows
    assert Member.objects.filter(member_number__startswith="91").count() == rows
    assert not os.path.exists(upload)


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_apply_wrote_nothing_and_the_retry_completes(
    reference, worker_env, tmp_path, client, cast, django_capture_on_commit_callbacks
):
    rows = 150_000
    member_import = uploaded(tmp_path, csv_rows(rows, first=9_200_000_000), cast.admin)
    validate_import(member_import)
    MemberImport.objects.filter(pk=member_import.pk).update(status=ImportStatus.QUEUED)
    worker = start_worker(worker_env)
    try:
        apply_member_import.apply_async([member_import.pk], queue=QUEUE)
        wait_for(lambda: import_is_running(member_import), 120, "the worker to start applying")
    finally:
        kill(worker)
    wait_for(lambda: not import_is_running(member_import), 30, "the lock to be freed")
    stuck = MemberImport.objects.get(pk=member_import.pk)
    if stuck.status == ImportStatus.DONE:  # pragma: no cover (the machine was too fast)
        pytest.skip("the apply finished before the worker could be killed")
    assert stuck.status == ImportStatus.APPLYING
    assert not Member.objects.filter(member_number__startswith="92").exists()  # rolled back
    assert mark_interrupted_imports(now=timezone.now() + LATER) == 1
    app.conf.task_always_eager = True
    login(client, cast.admin)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("members:import_retry", kwargs={"pk": member_import.pk}))
    stuck.refresh_from_db()
    assert stuck.status == ImportStatus.DONE and stuck.created == rows
    assert Member.objects.filter(member_number__startswith="92").count() == rows
