"""Optional error reports to Sentry (or a compatible service such as GlitchTip), switched on
by SENTRY_DSN. Nothing personal leaves: no default PII, no request bodies, cookies, headers or
query strings, no user but their id, no local variables, and every message and exception text
passes the same scrubber as the logs (fnvregio/logs.py)."""

from __future__ import annotations

from typing import Any

from fnvregio.logs import scrub


def scrub_event(event: Any, hint: Any = None) -> Any:
    """sentry-sdk's before_send: the event without personal data."""
    request = event.get("request") or {}
    for key in ("data", "cookies", "headers", "query_string", "env"):
        request.pop(key, None)
    if request:
        event["request"] = request
    user = event.get("user") or {}
    event["user"] = {"id": user["id"]} if "id" in user else {}
    if isinstance(event.get("message"), str):
        event["message"] = scrub(event["message"])
    logentry = event.get("logentry") or {}
    if isinstance(logentry.get("message"), str):
        logentry["message"] = scrub(logentry["message"])
        logentry.pop("params", None)
    for exception in (event.get("exception") or {}).get("values") or []:
        if isinstance(exception.get("value"), str):
            exception["value"] = scrub(exception["value"])
        for frame in (exception.get("stacktrace") or {}).get("frames") or []:
            frame.pop("vars", None)
    for crumb in (event.get("breadcrumbs") or {}).get("values") or []:
        if isinstance(crumb.get("message"), str):
            crumb["message"] = scrub(crumb["message"])
        crumb.pop("data", None)
    return event


def init(dsn: str, *, environment: str, release: str = "") -> None:
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        release=release or None,
        send_default_pii=False,
        include_local_variables=False,
        max_request_body_size="never",
        before_send=scrub_event,
        integrations=[DjangoIntegration(), CeleryIntegration()],
    )
