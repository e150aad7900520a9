"""Production settings: refuse to start on development defaults, and pass Django's deploy check."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings

BASE_DIR = Path(__file__).resolve().parents[2]


def _manage(*args: str, **env_overrides: str) -> subprocess.CompletedProcess:
    env = {
        key: value
        for key, value in os.environ.items()
        if key
        not in {
            "DJANGO_DEBUG",
            "SECRET_KEY",
            "DATABASE_URL",
            "REDIS_URL",
            "FAST_PASSWORD_HASHER",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
            "EMAIL_BACKEND",
            "MFA_ENCRYPTION_KEY",
            "MFA_ENCRYPTION_KEY_FALLBACKS",
            "FNV_ERASURE_KEY",
        }
    }
    env["PYTHONPATH"] = str(BASE_DIR)
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, str(BASE_DIR / "manage.py"), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _database_url(database: dict) -> str:
    """The test run's own server (TCP or unix socket), for the subprocesses."""
    host = database["HOST"] or "127.0.0.1"
    if host.startswith("/"):
        return f"postgres://{database['USER']}@{quote(host, safe='')}/{database['NAME']}"
    return f"postgres://{database['USER']}@{host}:{database['PORT'] or 5432}/{database['NAME']}"


def _production_env(**overrides: str) -> dict[str, str]:
    database = settings.DATABASES["default"]
    env = {
        "DJANGO_DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "MFA_ENCRYPTION_KEY": secrets.token_urlsafe(40),
        "FNV_ERASURE_KEY": secrets.token_urlsafe(40),
        "DATABASE_URL": _database_url(database),
        "REDIS_URL": "redis://127.0.0.1:6379/0",
        "ALLOWED_HOSTS": "regio.fnv.example",
    }
    env.update(overrides)
    return env


def _production_shell(script: str, static_root: str) -> dict:
    """Run `script` in `manage.py shell` with production settings, after a real collectstatic
    into `static_root`; the script prints one JSON line last, which is returned."""
    env = _production_env(STATIC_ROOT=static_root)
    collected = _manage("collectstatic", "--noinput", "-v", "0", **env)
    assert collected.returncode == 0, collected.stderr
    result = _manage("shell", "-c", script, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_it_passes_the_deploy_check_with_production_settings():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", **_production_env())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize("secret", ["", "short", "dev-only-insecure-key-never-use-in-production"])
def test_it_refuses_to_start_without_a_real_secret_key(secret):
    result = _manage("check", **_production_env(SECRET_KEY=secret))
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_it_refuses_to_start_in_production_without_its_own_mfa_encryption_key():
    """TOTP secrets must not depend on SECRET_KEY in production: rotating that key after a leak
    locked every staff member out."""
    result = _manage("check", **_production_env(MFA_ENCRYPTION_KEY=""))
    assert result.returncode != 0
    assert "MFA_ENCRYPTION_KEY" in result.stderr
    key = secrets.token_urlsafe(64)
    result = _manage("check", **_production_env(SECRET_KEY=key, MFA_ENCRYPTION_KEY=key))
    assert result.returncode != 0
    assert "MFA_ENCRYPTION_KEY" in result.stderr
    result = _manage("check", **_production_env(MFA_ENCRYPTION_KEY="short"))
    assert result.returncode != 0
    assert "MFA_ENCRYPTION_KEY" in result.stderr


def test_it_refuses_to_start_in_production_without_its_own_erasure_key():
    """Erased members are recognised by a keyed hash of their number; a key derived from
    SECRET_KEY would change with it, and the next import would bring them back."""
    for overrides in ({"FNV_ERASURE_KEY": ""}, {"FNV_ERASURE_KEY": "short"}):
        result = _manage("check", **_production_env(**overrides))
        assert result.returncode != 0
        assert "FNV_ERASURE_KEY" in result.stderr
    key = secrets.token_urlsafe(64)
    result = _manage("check", **_production_env(SECRET_KEY=key, FNV_ERASURE_KEY=key))
    assert result.returncode != 0
    assert "FNV_ERASURE_KEY" in result.stderr


def test_it_refuses_to_start_in_production_without_a_database_url():
    result = _manage("check", **_production_env(DATABASE_URL=""))
    assert result.returncode != 0
    assert "DATABASE_URL" in result.stderr


def test_it_refuses_a_database_other_than_postgresql():
    result = _manage("check", **_production_env(DATABASE_URL="sqlite:///tmp/x.db"))
    assert result.returncode != 0
    assert "PostgreSQL" in result.stderr


def test_it_says_which_variable_is_malformed():
    result = _manage("check", **_production_env(SECURE_HSTS_SECONDS="a year"))
    assert result.returncode != 0
    assert "SECURE_HSTS_SECONDS must be a whole number" in result.stderr


def test_the_required_extensions_exist(db):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT extname FROM pg_extension")
        extensions = {row[0] for row in cursor.fetchall()}
    assert {"btree_gist", "pg_trgm", "unaccent"} <= extensions
