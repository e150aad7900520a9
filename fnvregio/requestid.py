"""A request id that follows a request into its log lines and into the Celery tasks it starts.

The id comes from the load balancer's `X-Request-ID` when it is a plausible id (8-64 letters,
digits, `-` or `_`; anything else is ignored, so a client cannot inject text into the logs),
otherwise a new random one. It is returned as `X-Request-ID`, set on every log record by
`RequestIdFilter` (the JSON formatter writes it as `request_id`), passed to every task
published while the request runs (a message header), and restored in the worker while that
task runs, so its log lines carry the same id.
"""

from __future__ import annotations

import contextvars
import logging
import re
import uuid

from celery import signals
from django.core.signals import request_started
from django.dispatch import receiver

_current: contextvars.ContextVar[str] = contextvars.ContextVar("fnv_request_id", default="")
HEADER = "fnv_request_id"
_PLAUSIBLE = re.compile(r"^[A-Za-z0-9_-]{8,64}$")


def current() -> str:
    return _current.get()


def new_id() -> str:
    return uuid.uuid4().hex


class RequestIdMiddleware:
    """First in the chain: every later middleware's and view's log lines carry the id."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.META.get("HTTP_X_REQUEST_ID", "")
        request_id = given if _PLAUSIBLE.match(given) else new_id()
        request.request_id = request_id
        # Not reset on the way out: Django logs a 4xx/5xx after the middleware returned. The
        # next request in this thread sets its own id, and `request_started` clears it first.
        _current.set(request_id)
        response = self.get_response(request)
        response["X-Request-ID"] = request_id
        return response


@receiver(request_started)
def _clear(**_kwargs) -> None:
    _current.set("")


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to every record ("-" outside a request or task)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = _current.get() or "-"
        return True


@signals.before_task_publish.connect
def _pass_on(headers=None, **_kwargs) -> None:
    request_id = _current.get()
    if request_id and headers is not None:
        headers[HEADER] = request_id


_task_tokens: dict[str, contextvars.Token] = {}


@signals.task_prerun.connect
def _restore(task_id=None, task=None, **_kwargs) -> None:
    request_id = getattr(task.request, HEADER, None) if task is not None else None
    if request_id is None and task is not None:
        request_id = (getattr(task.request, "headers", None) or {}).get(HEADER)
    if request_id and _PLAUSIBLE.match(str(request_id)) and task_id:
        _task_tokens[task_id] = _current.set(str(request_id))


@signals.task_postrun.connect
def _forget(task_id=None, **_kwargs) -> None:
    token = _task_tokens.pop(task_id, None) if task_id else None
    if token is not None:
        _current.reset(token)
