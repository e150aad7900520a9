"""The page cache: a page that only reads is kept, per person, until anything is written.

Which pages: the views named in `settings.PAGE_CACHE_VIEWS`, for GET requests. A view on that
list may write audit entries (they are recorded and written again on every page served from the
cache, `audit.services.audit_again`) but nothing else: `tests/fnvregio/test_pagecache.py` renders
each one and fails if it writes any other row or changes the session.

Whose page: the key holds the session (or "anonymous" for requests without one), the language,
the host and scheme, the full path with its query, and the current minute; the page is stored
with the user it was rendered for (id, role and flags) and served only to the same. So a page is
never shown to another person, a changed role never sees its old page, and a page that depends
on the clock ("today", the slots still open) is at most a minute old. As the key needs no user,
the page is read from Redis along with the session and its user, which is kept per session
(`ReadAlongMiddleware`): a logged-in page from the cache takes one round trip to Redis (the
generation, the session, the user and the page together), not three. htmx requests, sessions
that hold more than who is logged in (`PLAIN_SESSION_KEYS`: a login halfway, messages waiting),
views that change the session and responses other than a plain 200 are never cached.

Until when: every statement that writes through one of Django's database connections (the ORM,
`QuerySet.update`, raw SQL, cascades, migrations, the member import's INSERT ... SELECT) is
seen by an execute wrapper (`install`, on every new connection). Unless it writes only the
audit trail, the sessions or the dashboards' stored figures, it replaces the *generation* in
Redis by a new random value once its transaction has committed (at once for a statement
outside a transaction; once per transaction, however many statements). A page is served only
if it was stored under the current generation, which is read before the view reads anything:
a page rendered before the commit showed the data before it and is never served after it. A
random value rather than a counter: if Redis loses the key, no old page can come back to life
by a counter that counts up to its number again. Writes outside the portal's code (psql by
hand, pg_restore) are not seen: such pages are stale for at most the minute of their key.

What is replayed: the CSRF token and the CSP nonce are per request. Before a page is stored,
every CSRF token of the request's secret and the nonce are replaced by placeholders; a page
served from the cache gets the request's own token (`get_token`, which also sets the cookie
where needed) and its own nonce, which the CSP header then names. The middleware is the last in
MIDDLEWARE, so sessions, the second factor for staff, the no-store headers and the admin's audit
middleware run for a cached page as for a rendered one.

`PAGE_CACHE` (on where Redis is configured; off with locmem, which is per process and would not
see another process's writes) turns serving and storing pages on or off. Writes renew the
generation either way, so a process started with it off never leaves stale pages for the others.
"""

from __future__ import annotations

import hashlib
import logging
import re
import secrets
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.sessions.backends import cached_db
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.middleware.csrf import (  # type: ignore[attr-defined]  # private, tested
    CSRF_TOKEN_LENGTH,
    _unmask_cipher_token,
    get_token,
)
from django.template.response import TemplateResponse

from audit import context as audit_context
from audit.services import audit_again
from core.generation import GENERATION_KEY, bump, prefetching, read_with_generation

__all__ = [
    "GENERATION_KEY",
    "PageCacheMiddleware",
    "ReadAlongMiddleware",
    "bump",
    "install",
    "writes_pages",
]

logger = logging.getLogger(__name__)

_CSRF_PLACEHOLDER = b"\x00pagecache-csrf\x00"
_NONCE_PLACEHOLDER = b"\x00pagecache-nonce\x00"
_TOKEN = re.compile(rb"(?<![A-Za-z0-9])[A-Za-z0-9]{%d}(?![A-Za-z0-9])" % CSRF_TOKEN_LENGTH)

# Tables whose writes change no cached page: the audit trail (a cached page writes it again),
# the sessions (read by middleware on every request, cached or not) and the dashboards' stored
# figures (dashboard/snapshots.py). Those are a cache themselves, with their time on the page,
# written when a dashboard is first opened and renewed in the background when they are ten
# minutes old: a dashboard page may show them up to the minute of its key after renewal.
QUIET_TABLE_PREFIXES = ("audit_", "django_session", "dashboard_dashboardsnapshot")
# Statements that write nothing a page shows.
_NOT_WRITES = frozenset(
    {
        *("SELECT", "SAVEPOINT", "RELEASE", "ROLLBACK", "COMMIT", "BEGIN", "START", "SET"),
        *("RESET", "SHOW", "EXPLAIN", "LOCK", "ANALYZE", "VACUUM", "LISTEN", "UNLISTEN"),
        *("NOTIFY", "DECLARE", "FETCH", "CLOSE", "MOVE", "PREPARE", "DEALLOCATE", "DISCARD"),
    }
)
_TARGET = re.compile(
    r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+(?:ONLY\s+)?"?([A-Za-z0-9_]+)"?', re.I
)
_DATA_CHANGE = re.compile(r"\b(?:INSERT|UPDATE|DELETE|MERGE|TRUNCATE|COPY)\b", re.I)


def writes_pages(sql: object) -> bool:
    """Whether a statement may change what a page shows (when in doubt: yes)."""
    if not isinstance(sql, str):
        return True  # a composed statement: not read, so assumed to write
    text = sql.lstrip().lstrip("(")  # a UNION of two queries starts with its "("
    first = text[:12].split(None, 1)[0].upper() if text else ""
    if first in _NOT_WRITES:
        # SELECT ... FOR UPDATE reads; a SELECT that calls a writing function is not used here.
        return False
    if first == "WITH":
        return bool(_DATA_CHANGE.search(text))
    target = _TARGET.match(text)
    if target is not None:
        return not target.group(1).lower().startswith(QUIET_TABLE_PREFIXES)
    return True


def _bump_after_commit() -> None:
    bump()


def _execute_wrapper(execute: Callable[..., Any], sql: Any, params: Any, many: bool, ctx: Any):
    result = execute(sql, params, many, ctx)
    if writes_pages(sql):
        connection = ctx["connection"]
        if not connection.in_atomic_block:
            bump()  # the statement has committed
        elif not any(entry[1] is _bump_after_commit for entry in connection.run_on_commit):
            transaction.on_commit(_bump_after_commit, using=connection.alias)
    return result


def install(sender: object = None, connection: Any = None, **kwargs: object) -> None:
    """`connection_created` receiver: watch every statement of the new connection."""
    if connection is not None and _execute_wrapper not in connection.execute_wrappers:
        connection.execute_wrappers.append(_execute_wrapper)


def _minute() -> int:
    """The minute of the key: a page is served within the minute it was stored in."""
    return int(time.time() // 60)


def _key(request: HttpRequest) -> str:
    """The page's key, from the request alone (not its user, so it can be read along with the
    user, `ReadAlongMiddleware`): a session's pages are its own; requests without a session
    share theirs. Whose page it is (`_who`) is stored with it and compared when it is served."""
    session_key = request.session.session_key
    who = f"session:{session_key}" if session_key else "anonymous"
    where = f"{request.scheme}|{request.get_host()}|{request.get_full_path()}|{who}"
    minute = _minute()
    language = getattr(request, "LANGUAGE_CODE", "")
    return f"pagecache:page:{language}:{minute}:{hashlib.sha256(where.encode('utf-8', 'surrogateescape')).hexdigest()}"


def _who(request: HttpRequest) -> str:
    """The user a page was rendered for: id, role and flags, or "anonymous". A page is served
    only to the same, so a changed role never sees its old page."""
    user = request.user
    if not user.is_authenticated:
        return "anonymous"
    return f"{user.pk}.{user.role}.{user.is_active:d}{user.is_staff:d}{user.is_superuser:d}"


def _wanted(request: HttpRequest) -> bool:
    """A request whose page may come from the cache: a GET, not from htmx, the cache on."""
    return settings.PAGE_CACHE and request.method == "GET" and "HX-Request" not in request.headers


class ReadAlongMiddleware:
    """Before AuthenticationMiddleware: a request with a session reads, in one round trip to
    Redis, the generation, its session (`fnvregio.sessions`), the user of that session
    (`members.backends.load_user`) and, where it may come from the cache, its page
    (`core.generation.prefetching`). `PageCacheMiddleware.process_view` takes the page from
    there. The user is kept per session for that: its key must be known before the session is
    read."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        session = request.session
        if (
            not settings.PAGE_CACHE
            or not session.session_key
            or not isinstance(session, cached_db.SessionStore)
            or settings.SESSION_CACHE_ALIAS != "default"  # the cache prefetching reads
        ):
            return self.get_response(request)
        digest = hashlib.sha256(session.session_key.encode()).hexdigest()
        keys = {"session": session.cache_key, "user": f"pagecache:user:session:{digest}"}
        if _wanted(request):
            keys["page"] = _key(request)
        with prefetching(keys):
            return self.get_response(request)


# What a session may hold for its pages to be cached: who is logged in (Django's keys and
# allauth's record of how), the staff idle clock and the expiry. A page cannot depend on these
# beyond the user, whom it is served to only (`_who`). A session with anything else (a login
# halfway, a second factor being set up, messages waiting) gets its page rendered: the page might
# show it, and an anonymous visitor's page is shared with every other anonymous visitor.
PLAIN_SESSION_KEYS = frozenset(
    {
        "_auth_user_id",
        "_auth_user_backend",
        "_auth_user_hash",
        "account_authentication_methods",
        "account_authentication_methods_user",
        "fnv_idle_touched",
        "_session_expiry",
    }
)


class PageCacheMiddleware:
    """Serve the pages of settings.PAGE_CACHE_VIEWS from the cache (see the module's text)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response
        self.views = frozenset(settings.PAGE_CACHE_VIEWS)

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if request.method != "GET" or not settings.PAGE_CACHE:
            return self.get_response(request)
        # process_view runs inside get_response and leaves its plan on the request.
        with audit_context.recording() as entries:
            response = self.get_response(request)
        plan = getattr(request, "_pagecache_plan", None)
        if plan is None:
            return response
        key, generation, session_before = plan
        if (
            generation is not None
            and type(response) in (HttpResponse, TemplateResponse)
            and response.status_code == 200
            # the CSRF cookie that csrf_protect (the admin's views) sets inside the view: a
            # cached page sets it through get_token and the CSRF middleware, as here
            and set(response.cookies) <= {settings.CSRF_COOKIE_NAME}
            and dict(request.session.items()) == session_before
            and not getattr(getattr(request, "_messages", None), "_queued_messages", None)
        ):
            self._store(request, response, key, generation, entries)
        return response

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if (
            not _wanted(request)
            or match is None
            or match.view_name not in self.views
            or not PLAIN_SESSION_KEYS.issuperset(request.session.keys())
        ):
            return None
        key = _key(request)
        found = read_with_generation(key)
        if found is None:
            return None
        generation = found.get(GENERATION_KEY)
        if generation is None:  # the first page, or Redis lost the key: nothing is stored now
            try:
                cache.add(GENERATION_KEY, secrets.token_hex(8), timeout=None)
            except Exception:
                logger.exception("page cache: the generation could not be set")
        entry = found.get(key)
        if (
            entry is not None
            and generation is not None
            and entry["generation"] == generation
            and entry.get("who") == _who(request)
        ):
            return self._serve(request, entry)
        plan = (key, generation, dict(request.session.items()))
        request._pagecache_plan = plan  # type: ignore[attr-defined]
        return None

    def _store(self, request, response, key: str, generation: str, entries) -> None:
        body = response.content
        secret = request.META.get("CSRF_COOKIE")
        csrf = False
        if secret:

            def placeholder(match: re.Match[bytes]) -> bytes:
                nonlocal csrf
                if _unmask_cipher_token(match.group().decode()) == secret:
                    csrf = True
                    return _CSRF_PLACEHOLDER
                return match.group()

            body = _TOKEN.sub(placeholder, body)
        nonce = getattr(request, "_csp_nonce", None)
        if nonce:  # evaluated while rendering (LazyNonce is false until then)
            body = body.replace(str(nonce).encode(), _NONCE_PLACEHOLDER)
        entry = {
            "generation": generation,
            "who": _who(request),
            "body": body,
            "csrf": csrf,
            "nonce": bool(nonce),
            "headers": list(response.headers.items()),
            "audit": list(entries),
        }
        try:
            cache.set(key, entry, timeout=settings.PAGE_CACHE_SECONDS)
        except Exception:
            logger.exception("page cache: a page could not be stored")

    def _serve(self, request: HttpRequest, entry: dict[str, Any]) -> HttpResponse:
        body = entry["body"]
        if entry["csrf"]:
            body = body.replace(_CSRF_PLACEHOLDER, get_token(request).encode())
        if entry["nonce"]:
            body = body.replace(_NONCE_PLACEHOLDER, str(request._csp_nonce).encode())  # type: ignore[attr-defined]
        if entry["audit"]:
            audit_again(entry["audit"], request=request)
        response = HttpResponse(body)
        for name, value in entry["headers"]:
            response.headers[name] = value
        return response
