"""The portal behind PgBouncer in transaction mode (#18 item 6).

A real PgBouncer from Debian's packages, in transaction mode, in front of the test server;
then a part of the suite that leans on transactions (booking with row locks and two clicks
at once, the plan workflow's compare-and-swap, signal detection, sessions and logins) runs in a
second pytest whose DATABASE_URL points at PgBouncer, with FNV_DATABASE_POOLER=pgbouncer.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

import pytest
from django.conf import settings

BASE_DIR = Path(__file__).resolve().parents[2]
SUITE = [
    "tests/loopbaan/test_booking.py",
    "tests/loopbaan/test_concurrency.py",
    "tests/plans/test_workflow.py",
    "tests/signals/test_detection.py",
    "tests/fnvregio/test_auth.py",
]


def _pgbouncer() -> str:
    path = shutil.which("pgbouncer") or "/usr/sbin/pgbouncer"
    if not os.path.exists(path):
        if os.environ.get("CI"):
            pytest.fail("pgbouncer is not installed (.ci/run installs Debian's package)")
        pytest.skip("pgbouncer is not installed here (apt-get install pgbouncer); CI runs this")
    return path


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.timeout_seconds(900)
def test_the_portal_works_behind_pgbouncer_in_transaction_mode():
    binary = _pgbouncer()
    server = urllib.parse.urlsplit(settings.DATABASE_URL)
    if not server.hostname or server.hostname.startswith("%2F"):
        pytest.skip("needs a PostgreSQL reachable over TCP (the project's machines and CI)")
    # A folder PgBouncer's own user can reach (pytest's tmp_path is private to root).
    folder = Path(tempfile.mkdtemp(prefix="fnv-pgbouncer-"))
    folder.chmod(0o777)
    port = _free_port()
    (folder / "users.txt").write_text('"postgres" ""\n')
    (folder / "pgbouncer.ini").write_text(
        f"""[databases]
* = host={server.hostname} port={server.port or 5432}

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = {port}
unix_socket_dir =
auth_type = trust
auth_file = {folder / "users.txt"}
pool_mode = transaction
max_client_conn = 200
default_pool_size = 10
ignore_startup_parameters = extra_float_digits,options
logfile = {folder / "pgbouncer.log"}
pidfile = {folder / "pgbouncer.pid"}
"""
    )
    for path in folder.iterdir():
        path.chmod(0o666)
    command = [binary, "-q", str(folder / "pgbouncer.ini")]
    if os.geteuid() == 0:  # PgBouncer refuses to run as root
        command[1:1] = ["-u", "postgres" if _user_exists("postgres") else "nobody"]
    bouncer = subprocess.Popen(command, start_new_session=True)  # noqa: S603
    try:
        _wait_for_port(port, bouncer, folder)
        user = urllib.parse.unquote(server.username or "postgres")
        env = {
            **os.environ,
            "DATABASE_URL": f"postgres://{user}@127.0.0.1:{port}/fnv_through_pgbouncer",
            "FNV_DATABASE_POOLER": "pgbouncer",
        }
        result = subprocess.run(
            [sys.executable, "-m", "pytest", *SUITE, "-q", "-p", "no:cacheprovider", "-x"],
            cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=840,
        )  # fmt: skip
        summary = result.stdout.strip().splitlines()[-1] if result.stdout.strip() else ""
        print(f"behind PgBouncer (transaction mode): {summary}")
        assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
        assert " passed" in summary and "failed" not in summary
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(bouncer.pid, signal.SIGTERM)
        try:
            bouncer.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(bouncer.pid, signal.SIGKILL)
            bouncer.wait(timeout=10)
        shutil.rmtree(folder, ignore_errors=True)


def _user_exists(name: str) -> bool:
    import pwd

    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True


def _wait_for_port(port: int, process: subprocess.Popen, folder: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log = (
                (folder / "pgbouncer.log").read_text()
                if (folder / "pgbouncer.log").exists()
                else ""
            )
            raise AssertionError(f"pgbouncer stopped: {log[-2000:]}")
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise AssertionError("pgbouncer did not start")
