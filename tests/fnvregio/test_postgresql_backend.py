"""The portal's PostgreSQL backend (fnvregio/postgresql/base.py): the connection's health check
before a request's first query sends nothing while the server is quiet, and still finds a
connection the server has ended, so the request gets a new one instead of an error."""

from __future__ import annotations

import select

import psycopg
import pytest
from django.db import connections

from fnvregio.postgresql.base import DatabaseWrapper, quiet

pytestmark = pytest.mark.django_db(transaction=True)

connection = connections["default"]  # the wrapper itself, not the proxy of `django.db.connection`


def _backend_pid() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def _next_request() -> None:
    """What Django does when a request starts on a kept connection (close_old_connections):
    the next query is preceded by the health check."""
    connection.health_check_done = False


@pytest.fixture
def checks(monkeypatch):
    """Django's own check (`SELECT 1`), still run, with a count of the times it ran."""
    ran = []
    original = DatabaseWrapper.is_usable

    def is_usable(self):
        ran.append(self.alias)
        return original(self)

    monkeypatch.setattr(DatabaseWrapper, "is_usable", is_usable)
    monkeypatch.setattr(connection, "health_check_enabled", True)
    return ran


def test_the_portal_runs_on_its_backend():
    assert isinstance(connection, DatabaseWrapper)
    assert connection.vendor == "postgresql"


def test_a_quiet_connection_is_not_asked(checks):
    pid = _backend_pid()
    for _ in range(3):
        _next_request()
        assert _backend_pid() == pid
    assert checks == []
    assert connection.health_check_done


def test_a_connection_the_server_ended_is_replaced_before_the_query(checks):
    pid = _backend_pid()
    settings = connection.settings_dict
    with psycopg.connect(
        dbname=settings["NAME"],
        user=settings["USER"],
        host=settings["HOST"],
        port=settings["PORT"] or 5432,
        password=settings["PASSWORD"] or None,
        autocommit=True,
    ) as other:
        assert other.execute("SELECT pg_terminate_backend(%s)", [pid]).fetchone() == (True,)
    # the server's goodbye reaches the socket
    poll = select.poll()
    poll.register(connection.connection.pgconn.socket, select.POLLIN)
    assert poll.poll(5000)
    assert not quiet(connection.connection)

    _next_request()
    new_pid = _backend_pid()  # no error: the check found the connection ended and reconnected

    assert new_pid != pid
    assert checks == ["default"]


def test_inside_a_transaction_the_connection_is_not_quiet():
    connection.ensure_connection()
    raw = connection.connection
    assert quiet(raw)
    with raw.transaction():
        raw.execute("SELECT 1")
        assert not quiet(raw)
    assert quiet(raw)


def test_a_closed_connection_is_not_quiet():
    connection.ensure_connection()
    raw = connection.connection
    connection.close()
    assert not quiet(raw)
