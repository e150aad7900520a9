"""Where a write comes from, for the audit trail, without passing the HttpRequest around.

`AuditContextMiddleware` records the client address and path of each request in a context
variable; `audit_log` takes them from there when it is not given a request. So a service records
its writes given only the acting user (`audit_log(user=by, ...)`), and the entry still says
from where and on which page. Outside a request (Celery tasks, commands) there is no context:
address and path stay empty.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.http import HttpRequest, HttpResponseBase


@dataclass(frozen=True)
class RequestContext:
    ip_address: str | None
    path: str


_current: ContextVar[RequestContext | None] = ContextVar("audit_request_context", default=None)
# The entries written while a page is rendered, for the page cache (fnvregio/pagecache.py): a
# page served from the cache writes the same entries again, so every read is still in the trail.
_recording: ContextVar[list[dict[str, object]] | None] = ContextVar("audit_recording", default=None)


def current() -> RequestContext | None:
    return _current.get()


@contextmanager
def recording() -> Iterator[list[dict[str, object]]]:
    """Collect what `audit_log` writes inside the block: each entry's fields but its time,
    address and path, which belong to the request that writes it."""
    entries: list[dict[str, object]] = []
    token = _recording.set(entries)
    try:
        yield entries
    finally:
        _recording.reset(token)


def record(fields: dict[str, object]) -> None:
    entries = _recording.get()
    if entries is not None:
        entries.append(fields)


def of_request(request: HttpRequest) -> RequestContext:
    # PostgreSQL text cannot hold a NUL byte: a hostile path must not fail the request.
    return RequestContext(
        ip_address=request.META.get("REMOTE_ADDR"),
        path=request.path.replace("\x00", "\ufffd")[:300],
    )


class AuditContextMiddleware:
    """After ClientAddressMiddleware, so REMOTE_ADDR is the client's address."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        token = _current.set(of_request(request))
        try:
            return self.get_response(request)
        finally:
            _current.reset(token)
