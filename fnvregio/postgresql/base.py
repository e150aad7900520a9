"""Django's PostgreSQL backend, with a health check that sends nothing while the server is quiet.

With `CONN_HEALTH_CHECKS` Django sends `SELECT 1` before the first query of every request that
reuses a connection. On a page from the page cache whose only query is its audit entry, that
was a second round trip to PostgreSQL: 12 % of a worker's time under load (py-spy, 3 Dec 2026,
docs/performance.md).

A connection PostgreSQL has ended is one whose socket has something to read while no query is
under way: the server's last message ("terminating connection ...") and the end of the stream,
or only the end when the server process died. So when the socket has nothing to read and the
connection is idle, it is healthy as far as `SELECT 1` could tell, without asking; in any other
case Django's own check runs. This is how urllib3 tells whether a kept HTTP connection was
dropped (`urllib3.util.wait.wait_for_read(sock, timeout=0.0)` in `is_connection_dropped`).
Anything else waiting on the socket (a notice, over TLS a session ticket sent after the
handshake) also makes Django's check run, which reads it. A peer that vanished without a word
(a network cut) is not seen either way: `SELECT 1` would wait for the TCP timeout just as the
query does.
"""

from __future__ import annotations

import select

import psycopg
from django.db.backends.postgresql import base
from psycopg import pq


def quiet(connection: psycopg.Connection) -> bool:
    """True when the psycopg connection is open, idle, and its socket has nothing to read."""
    if connection.closed or connection.broken:
        return False
    pgconn = connection.pgconn
    if pgconn.transaction_status != pq.TransactionStatus.IDLE:
        return False
    try:
        poll = select.poll()  # not select(): no limit on the number of the descriptor
        poll.register(pgconn.socket, select.POLLIN | select.POLLPRI)
        return not poll.poll(0)
    except (OSError, ValueError, psycopg.Error):  # no socket: "the connection is lost"
        return False


class DatabaseWrapper(base.DatabaseWrapper):
    def close_if_health_check_failed(self) -> None:
        # health_check_enabled/_done: Django's (BaseDatabaseWrapper), not in django-stubs
        due = self.health_check_enabled and not self.health_check_done  # type: ignore[attr-defined,has-type]
        if due and self.connection is not None and not self.pool and quiet(self.connection):
            self.health_check_done = True
            return
        super().close_if_health_check_failed()
