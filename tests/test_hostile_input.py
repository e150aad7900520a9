"""Hostile input never breaks a page, and a refused request writes nothing.

The walk requests every URL of the access table as every role, and sends hostile values (a NUL
byte, 100,000 characters, the wrong type, far dates, unicode, nothing) in every path value, every
known query parameter and every field of every form the pages render: one field hostile at a
time while the others keep plausible values, for the first role that may use the page (each
further role that may use it sends the same form and query parameters with all values hostile at
once: the form and its parsing are the same code for every role); all fields hostile at once for
the roles that may not. No answer may be a server error, a refused POST (4xx,
a page with errors, or an error message) may not change one row, and a far date in a date field
is refused.

The walk prints how many URL × role × field combinations it tried; CI shows that line.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import quote, urlsplit

import pytest
from django.contrib.messages import constants as message_levels
from django.db import connection, transaction
from django.test import Client
from django.urls import Resolver404, get_resolver, resolve, reverse
from django.urls.converters import get_converters
from django.utils import timezone

from tests.access_table import ACCESS_TABLE, ANONYMOUS
from tests.conftest import login
from tests.test_access import ROLES, _database_fingerprint, _walk

pytestmark = pytest.mark.django_db

# Sent to every form field and query parameter.
HOSTILE: list[tuple[str, object]] = [
    ("NUL byte", "a\x00b"),
    ("huge", "x" * 100_000),
    ("wrong type", "abc"),
    ("big number", "99999999999999999999"),
    ("far past", "0001-01-01"),
    ("far future", "9999-12-31"),
    ("unicode", "ẞ😀\u202e"),
    ("empty", ""),
    ("two values", ["1", "abc"]),
]
# A datetime field gets its far dates with a time, in the form the browser sends.
DATETIME_HOSTILE = [
    *(item for item in HOSTILE if not item[0].startswith("far")),
    ("far past", "0001-01-01T00:00"),
    ("far future", "9999-12-31T23:59"),
]
# Query parameters also get what hand-written parsing trips over.
QUERY_HOSTILE = [*HOSTILE, ("negative", "-1"), ("huge number", "9" * 5000)]
# Path values: no empty segment or list; slot keys are path values.
PATH_HOSTILE = [
    *(item for item in QUERY_HOSTILE if isinstance(item[1], str) and item[1]),
    ("far slot", "99991231T2359"),
    ("far past slot", "00010101T0000"),
]

# Query parameters the views read by hand (forms rendered with method="get" are found too).
KNOWN_QUERY = {
    "loopbaan:agenda": ["dag", "weergave"],
    "plans:overview": ["jaar"],
    "plans:compare": ["a", "b"],
    "signals:signal_list": ["status"],
    "signals:employer_search": ["q", "employer_query"],
    "members:employer_search": ["employer_query"],
    "audit:my_record_access": ["pagina"],
    "admin:index": ["q"],
    "account_login": ["next"],
}
# POST endpoints that pages call from htmx attributes rather than from a <form>.
EXTRA_POSTS = {
    "plans:preview": (lambda cast: {}, {"section": "context", "context": "# Kop"}),
}
# allauth's and Django's own forms do the same for every role: walked field by field once, and
# with all fields hostile at once for each further role.
SAME_FOR_EVERY_ROLE = ("account_", "mfa_", "set_language")
# Posting these would end the walk's own session.
SKIP_ACTIONS = {"account_logout"}
SKIP_WRITE_CHECK = {
    "django_session",
    "audit_auditentry",
    "account_emailconfirmation",
    "django_admin_log",
}


# --- reading the forms of a page -----------------------------------------------------------


@dataclass
class Form:
    method: str
    action: str
    fields: dict[str, list[str]] = field(default_factory=dict)  # plausible values
    types: dict[str, str] = field(default_factory=dict)
    buttons: list[tuple[str, str]] = field(default_factory=list)

    def plausible(self) -> dict[str, object]:
        data: dict[str, object] = {k: v for k, v in self.fields.items() if v}
        if len(self.buttons) == 1:
            data[self.buttons[0][0]] = self.buttons[0][1]
        return data


def _default(kind: str, value: str) -> str:
    if value:
        return value
    today = timezone.localdate()
    return {
        "date": (today + dt.timedelta(days=14)).isoformat(),
        "datetime-local": (timezone.localtime() - dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "time": "10:00",
        "number": "1",
        "email": "walk@example.nl",
        "password": "Een-lang-Voorbeeld-wachtwoord-42",
        "tel": "0612345678",
        "hidden": "",
        "checkbox": "on",
    }.get(kind, "Voorbeeldtekst")


class _FormParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: tuple[str, bool, list[str], list[str]] | None = None
        self._textarea: str | None = None
        self._text = ""

    def handle_starttag(self, tag, attrs):
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "form":
            method = "post" if "hx-post" in a else (a.get("method") or "get").lower()
            self._form = Form(method, a.get("hx-post") or a.get("action") or "")
            self.forms.append(self._form)
            return
        form = self._form
        if form is None:
            return
        name = a.get("name")
        if name and "__prefix__" in name:
            return  # the admin's template for another inline row, never sent by a browser
        if tag == "input" and name:
            kind = (a.get("type") or "text").lower()
            if "vDateField" in a.get("class", ""):  # the admin's date inputs are type="text"
                kind = "date"
            elif "vTimeField" in a.get("class", ""):
                kind = "time"
            if kind in {"file", "image", "reset", "button"}:
                return
            if kind == "submit":
                form.buttons.append((name, a.get("value", "")))
                return
            form.types.setdefault(name, kind)
            values = form.fields.setdefault(name, [])
            if kind == "radio":
                if "checked" in a:
                    values[:] = [a.get("value", "on")]
                elif not values:
                    values.append(a.get("value", "on"))
            elif kind == "checkbox":
                if "checked" in a:
                    values.append(a.get("value", "on"))
            else:
                values.append(_default(kind, a.get("value", "")))
        elif tag == "select" and name:
            form.types.setdefault(name, "select")
            form.fields.setdefault(name, [])
            self._select = (name, "multiple" in a, [], [])
        elif tag == "option" and self._select is not None:
            _name, _multiple, options, selected = self._select
            value = a.get("value", "")
            options.append(value)
            if "selected" in a:
                selected.append(value)
        elif tag == "textarea" and name:
            form.types.setdefault(name, "textarea")
            self._textarea, self._text = name, ""
        elif tag == "button" and name and (a.get("type") or "submit") == "submit":
            form.buttons.append((name, a.get("value", "")))

    def handle_data(self, data):
        if self._textarea is not None:
            self._text += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select" and self._select is not None and self._form is not None:
            name, multiple, options, selected = self._select
            chosen = selected or [o for o in options if o][:1]
            self._form.fields[name] = chosen if multiple else chosen[:1]
            self._select = None
        elif tag == "textarea" and self._textarea is not None and self._form is not None:
            self._form.fields[self._textarea] = [_default("textarea", self._text.strip())]
            self._textarea = None


def _forms(response, page_path: str) -> list[Form]:
    if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
        return []
    parser = _FormParser()
    parser.feed(response.content.decode("utf-8", errors="replace"))
    for form in parser.forms:
        form.action = form.action or page_path
    return parser.forms


# --- watching the database -----------------------------------------------------------------


class WriteWatch:
    """Notices any row written between `before()` and `changed()`.

    PostgreSQL counts the rows each table had inserted, updated or deleted in this transaction
    (`pg_stat_xact_user_tables`): one cheap query tells whether anything was written at all. Only
    then is the full fingerprint of tests/test_access.py taken, because a write rolled back to
    a savepoint is counted too but leaves the rows as they were.
    """

    def __init__(self):
        self.counts: int | None = None
        self.fingerprint: dict[str, str] | None = None

    def _counts(self) -> int:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del), 0) "
                "FROM pg_stat_xact_user_tables WHERE relname <> ALL(%s)",
                [list(SKIP_WRITE_CHECK)],
            )
            return cursor.fetchone()[0]

    def before(self) -> None:
        counts = self._counts()
        if counts != self.counts or self.fingerprint is None:
            self.counts, self.fingerprint = counts, _database_fingerprint()

    def changed(self) -> list[str]:
        counts = self._counts()
        if counts == self.counts:
            return []
        fingerprint = _database_fingerprint()
        changed = [t for t, v in fingerprint.items() if (self.fingerprint or {}).get(t) != v]
        self.counts, self.fingerprint = counts, fingerprint
        return changed


# --- the walk ------------------------------------------------------------------------------


def _refused(response) -> bool:
    if response.status_code >= 400:
        return True
    if response.status_code == 200 and b'class="errorlist' in response.content:
        return True
    storage = getattr(response.wsgi_request, "_messages", None)
    queued = getattr(storage, "_queued_messages", [])
    return any(message.level >= message_levels.ERROR for message in queued)


DATE_MESSAGE = "Kies een datum tussen"


def _said(response) -> str:
    """The page's text and the messages it queued for the next page."""
    storage = getattr(response.wsgi_request, "_messages", None)
    queued = " ".join(str(m) for m in getattr(storage, "_queued_messages", []))
    return response.content.decode("utf-8", errors="replace") + queued


def _route_name(path: str) -> str:
    try:
        match = resolve(urlsplit(path).path)
    except Resolver404:
        return path
    return match.view_name


@dataclass
class Walk:
    client: Client
    watch: WriteWatch
    combinations: set = field(default_factory=set)
    requests: int = 0
    failures: list[str] = field(default_factory=list)

    def tried(self, url_label: str, role: str, field_label: str) -> None:
        self.combinations.add((url_label, role, field_label))

    def send(self, method: str, path: str, data, *, role: str, what: str):
        self.requests += 1
        # A savepoint per request: a database error in one request must not end the walk.
        with transaction.atomic():
            if method == "post":
                response = self.client.post(path, data)
            else:
                response = self.client.get(path, data)
            if response.status_code >= 500:
                transaction.set_rollback(True)
        if response.status_code >= 500:
            self.failures.append(
                f"{response.status_code} {method.upper()} {path[:120]} as {role}: {what}"
            )
        return response

    def post_checked(self, path: str, data, *, role: str, what: str, far_date: bool) -> None:
        self.watch.before()
        response = self.send("post", path, data, role=role, what=what)
        refused = _refused(response)
        changed = self.watch.changed()
        if refused and changed:
            self.failures.append(f"refused POST {path[:120]} as {role} ({what}) wrote {changed}")
        if far_date and not refused:
            self.failures.append(f"POST {path[:120]} as {role} accepted {what}")
        elif far_date and DATE_MESSAGE not in _said(response):
            self.failures.append(f"POST {path[:120]} as {role} refused {what} without saying why")


def _hostile_for(kind: str) -> list[tuple[str, object]]:
    return DATETIME_HOSTILE if kind == "datetime-local" else HOSTILE


def _mixed(names: list[str]) -> dict[str, object]:
    """Every field a different hostile value at once."""
    return {name: HOSTILE[i % len(HOSTILE)][1] for i, name in enumerate(names)}


def _seed(cast) -> None:
    """Objects that make more forms appear: workshop sessions, consulting hours, a theme."""
    from tests.factories import UserFactory
    from tests.loopbaan.helpers import add_hours
    from tests.signals.helpers import theme
    from tests.trajectories import factories as f

    f.session()
    f.session(starts_in=dt.timedelta(days=9), capacity=1)
    partner = UserFactory(role="consultant", totp=False)
    partner.union_houses.add(cast.union_house)
    add_hours(cast.consultant, cast.union_house)
    add_hours(partner, cast.union_house)
    theme()


# The admin is Django's own code: fewer values per parameter, for the time the walk may take.
ADMIN_HOSTILE = [
    item
    for item in QUERY_HOSTILE
    if item[0] in {"NUL byte", "huge", "wrong type", "big number", "far future", "unicode"}
]


def _walk_the_admin(walk: Walk, cast, log_in) -> None:
    from django.contrib import admin

    pages = []
    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        name = f"admin:{opts.app_label}_{opts.model_name}"
        pages.append((name, reverse(f"{name}_changelist"), reverse(f"{name}_add"), model_admin))
    for role in ROLES:
        log_in(role)
        for name, changelist, add, model_admin in pages:
            if role not in {"admin", ANONYMOUS, "member"}:
                continue  # the admin is closed to every role but one, the same way (test_access)
            if role != "admin":
                walk.tried(f"{name}_changelist", role, "?q")
                walk.send("get", changelist, _mixed(["q", "o", "p"]), role=role, what="hostile")
                walk.tried(f"{name}_add", role, "all fields")
                walk.send("post", add, _mixed(["name", "date"]), role=role, what="hostile")
                continue
            page = walk.send("get", changelist, {}, role=role, what="plain GET")
            html = page.content.decode("utf-8", errors="replace")
            params = {"q"} | set(re.findall(r'href="\?(?:[^"]*&amp;)?([\w]+)=', html))
            if model_admin.date_hierarchy:
                params |= {
                    f"{model_admin.date_hierarchy}__{part}" for part in ("year", "month", "day")
                }
            for param in sorted(params):
                walk.tried(f"{name}_changelist", role, f"?{param}")
                for what, value in ADMIN_HOSTILE:
                    walk.send("get", changelist, {param: value}, role=role, what=f"?{param}={what}")
            if model_admin.date_hierarchy:
                walk.tried(f"{name}_changelist", role, "date drill-down")
                far = {
                    f"{model_admin.date_hierarchy}__{p}": v
                    for p, v in [("year", "9999"), ("month", "12"), ("day", "31")]
                }
                walk.send("get", changelist, far, role=role, what="9999-12-31 drill-down")
            forms = [
                f
                for f in _forms(walk.send("get", add, {}, role=role, what="plain GET"), add)
                if f.method == "post"
            ]
            for form in forms[-1:]:  # the model's own form comes after the header's
                names = [n for n in form.fields if n != "csrfmiddlewaretoken"]
                for n in names:
                    walk.tried(f"{name}_add", role, n)
                walk.post_checked(
                    add, _mixed(names), role=role, what="all fields hostile", far_date=False
                )
                for n in names:
                    if form.types.get(n) != "date":
                        continue
                    for what, value in [("far past", "0001-01-01"), ("far future", "9999-12-31")]:
                        data = {**form.plausible(), n: value}
                        walk.post_checked(add, data, role=role, what=f"{n}={what}", far_date=True)


def _pattern_paths(built: dict[str, dict]) -> list[tuple[str, str, list[tuple[str, str, str]]]]:
    """(name, template with {kw} holes, [(kw, converter regex, plausible)]) for every pattern
    with path values."""
    converters = get_converters()
    result = []
    for _namespace, name, route in _walk(get_resolver().url_patterns):
        if not name or name.startswith("admin:") or "(?P" in route or "<" not in route:
            continue
        kwargs = built.get(name, {})
        holes = []
        for converter, kw in re.findall(r"<(?:(\w+):)?(\w+)>", route):
            default = {"int": "1", "uuid": "00000000-0000-4000-8000-000000000000"}
            plausible = str(kwargs.get(kw, default.get(converter or "str", "x")))
            holes.append((kw, converters[converter or "str"].regex, plausible))
        template = "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route)
        result.append((name, template, holes))
    return result


def test_hostile_input_never_breaks_a_page_and_a_refusal_writes_nothing(
    cast, capsys, record_property
):
    started = time.monotonic()
    _seed(cast)
    client = Client(raise_request_exception=False)
    walk = Walk(client, WriteWatch())

    # Every probed row's URL, built once (builders create the objects they point to).
    targets = []
    built_kwargs: dict[str, dict] = {}
    for row in ACCESS_TABLE:
        if row.name == "admin:":
            targets.append((row, "admin:index", reverse("admin:index")))
            continue
        if not row.probe:
            continue
        kwargs = row.kwargs(cast) if row.kwargs else None
        if kwargs and row.allowed and row.name not in built_kwargs:
            built_kwargs[row.name] = kwargs
        label = row.name + (f"[{row.label}]" if row.label else "")
        targets.append((row, label, reverse(row.name, kwargs=kwargs)))

    users = cast.by_role()
    forms_by_action: dict[str, list[Form]] = {}

    def log_in(role: str) -> None:
        client.logout()
        if users[role] is not None:
            login(client, users[role])

    # 1. Allowed roles: every query parameter and every form field, one at a time.
    walked_fully: set = set()
    for role in ROLES:
        log_in(role)
        walked: set = set()
        for row, label, url in targets:
            if role not in row.allowed:
                continue
            page = walk.send("get", url, {}, role=role, what="plain GET")
            forms = _forms(page, url)
            params = list(KNOWN_QUERY.get(row.name if row.name != "admin:" else "admin:index", []))
            for form in forms:
                if form.method == "get" and urlsplit(form.action).path == url:
                    params += [p for p in form.fields if p not in params]
            if ("?", url, tuple(params)) in walked_fully:
                # An earlier role sent each value in each parameter: all hostile at once.
                for param in params:
                    walk.tried(label, role, f"?{param}")
                walk.send("get", url, _mixed(params), role=role, what="all query values hostile")
                params = []
            elif params:
                walked_fully.add(("?", url, tuple(params)))
            for param in params:
                walk.tried(label, role, f"?{param}")
                for what, value in QUERY_HOSTILE:
                    walk.send("get", url, {param: value}, role=role, what=f"?{param}={what}")
            for form in forms:
                action_name = _route_name(form.action)
                if form.method != "post" or action_name in SKIP_ACTIONS:
                    continue
                key = (urlsplit(form.action).path, tuple(sorted(form.fields)))
                if key in walked:
                    continue
                walked.add(key)
                forms_by_action.setdefault(urlsplit(form.action).path, []).append(form)
                # allauth's forms are the same on every page; a portal form is the same for
                # every role that may send it to the same address.
                same = action_name if action_name.startswith(SAME_FOR_EVERY_ROLE) else key[0]
                if ("form", same, key[1]) in walked_fully:
                    names = [n for n in form.fields if n != "csrfmiddlewaretoken"]
                    for n in names:
                        walk.tried(action_name, role, n)
                    walk.post_checked(
                        form.action, _mixed(names), role=role, what="all fields", far_date=False
                    )
                    continue
                walked_fully.add(("form", same, key[1]))
                for name in form.fields:
                    if name == "csrfmiddlewaretoken":
                        continue
                    walk.tried(action_name, role, name)
                    kind = form.types.get(name, "text")
                    for what, value in _hostile_for(kind):
                        data = form.plausible()
                        data[name] = value
                        far = kind in {"date", "datetime-local"} and what.startswith("far")
                        walk.post_checked(
                            form.action, data, role=role, what=f"{name}={what}", far_date=far
                        )
        for name, (kwargs, data) in EXTRA_POSTS.items():
            row_allowed = next(r.allowed for r in ACCESS_TABLE if r.name == name)
            if role not in row_allowed:
                continue
            url = reverse(name, kwargs=kwargs(cast) or None)
            forms_by_action.setdefault(url, []).append(
                Form("post", url, {k: [v] for k, v in data.items()})
            )
            for key in data:
                walk.tried(name, role, key)
                for what, value in HOSTILE:
                    walk.post_checked(
                        url, {**data, key: value}, role=role, what=f"{key}={what}", far_date=False
                    )

    # 2. Refused roles: all parameters and fields hostile at once; nothing may be written.
    for role in ROLES:
        log_in(role)
        for row, label, url in targets:
            if role in row.allowed:
                continue
            params = KNOWN_QUERY.get(row.name, []) or ["q"]
            for param in params:
                walk.tried(label, role, f"?{param}")
            walk.send("get", url, _mixed(params), role=role, what="all query values hostile")
        for action, forms in forms_by_action.items():
            name = _route_name(action)
            allowed = next((r.allowed for r in ACCESS_TABLE if r.name == name), None)
            if allowed is None or role in allowed:
                continue
            for form in forms:
                names = [n for n in form.fields if n != "csrfmiddlewaretoken"]
                for n in names:
                    walk.tried(name, role, n)
                walk.watch.before()
                response = walk.send(
                    "post", action, _mixed(names), role=role, what="all fields hostile"
                )
                changed = walk.watch.changed()
                if changed:
                    walk.failures.append(f"refused POST {action} as {role} wrote {changed}")
                if 200 <= response.status_code < 300:
                    walk.failures.append(f"POST {action} as {role}: {response.status_code}")

    # 3. The admin: every change list's search, filters and date drill-down, every add form.
    _walk_the_admin(walk, cast, log_in)

    # 4. Path values: every pattern, each value hostile in turn, anonymously. Path converters
    # run before any view, the same for every role; a value one accepts (digits for <int:pk>,
    # anything for <str:code>) reaches the view, so it is sent again as each role the URL is for
    # (any other role is turned away before the value is used).
    allowed_by_name: dict[str, frozenset] = {}
    for row in ACCESS_TABLE:
        allowed_by_name[row.name] = allowed_by_name.get(row.name, frozenset()) | row.allowed
    for role in ROLES:
        log_in(role)
        for name, template, holes in _pattern_paths(built_kwargs):
            if role != ANONYMOUS and role not in allowed_by_name.get(name, ()):
                continue
            plausible = {kw: value for kw, _regex, value in holes}
            for kw, regex, _value in holes:
                walk.tried(name, role, f"<{kw}>")
                for what, value in PATH_HOSTILE:
                    if role != ANONYMOUS and not re.fullmatch(regex, value):
                        continue
                    path = template.format(**{**plausible, kw: quote(value, safe="")})
                    walk.send("get", path, {}, role=role, what=f"<{kw}>={what}")

    seconds = time.monotonic() - started
    summary = (
        f"hostile input walk: {len(walk.combinations)} combinations (URL × role × field), "
        f"{walk.requests} requests in {seconds:.0f} s, {len(walk.failures)} failures"
    )
    record_property("hostile_input_combinations", len(walk.combinations))
    with capsys.disabled():
        print(f"\n{summary}")
    assert not walk.failures, summary + ":\n" + "\n".join(walk.failures[:80])


# --- the cases the outside probe found, one by one ---------------------------------------------


def _appointment(cast):
    from tests.loopbaan.access_rows import _own

    return _own(cast)


KNOWN_CASES = [
    ("anonymous", "get", lambda cast: "/regios/%00/", {}),
    ("anonymous", "get", lambda cast: "/regios/" + "x" * 100_000 + "/", {}),
    ("coordinator", "get", lambda cast: "/signalen/regio/%00/", {}),
    ("consultant", "get", lambda cast: reverse("signals:employer_search"), {"q": "a\x00b"}),
    ("consultant", "get", lambda cast: reverse("loopbaan:agenda"), {"dag": "0001-01-01"}),
    ("consultant", "get", lambda cast: reverse("loopbaan:agenda"), {"dag": "9999-12-31"}),
    (
        "member",
        "post",
        lambda cast: reverse(
            "loopbaan:book_confirm",
            kwargs={"place": str(cast.union_house.pk), "slot": "99991231T2359"},
        ),
        {},
    ),
    (
        "member",
        "get",
        lambda cast: reverse("loopbaan:book_slots", kwargs={"place": "9" * 5000}),
        {},
    ),
    (
        "member",
        "get",
        lambda cast: reverse(
            "loopbaan:move_slots",
            kwargs={"token": _appointment(cast).public_token, "place": "a\x00b"},
        ),
        {},
    ),
    ("coordinator", "post", lambda cast: reverse("plans:region_deadline"), {"region": "a\x00b"}),
    ("coordinator", "get", lambda cast: reverse("plans:overview"), {"jaar": "9" * 5000}),
]


@pytest.mark.parametrize(
    "role, method, url, data", KNOWN_CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(KNOWN_CASES)]
)
def test_it_answers_the_known_hostile_requests_without_a_server_error(
    client, cast, role, method, url, data
):
    if cast.by_role()[role] is not None:
        login(client, cast.by_role()[role])
    response = getattr(client, method)(url(cast), data)
    assert response.status_code < 500


def test_a_workshop_enrolment_for_session_abc_is_not_found_and_enrols_nobody(client, cast):
    from tests.trajectories import factories as f
    from trajectories.models import Enrolment

    trajectory = f.active_trajectory(adviser=cast.adviser, member=cast.member)
    f.session()
    login(client, cast.adviser)
    url = reverse("trajectories:workshops_for", kwargs={"pk": trajectory.pk})
    assert client.post(url, {"session": "abc"}).status_code == 404
    assert not Enrolment.objects.exists()


def test_the_write_watch_notices_a_written_row_and_ignores_one_rolled_back(cast):
    watch = WriteWatch()
    watch.before()
    with transaction.atomic():
        cast.other_member.status = "ended"
        cast.other_member.save(update_fields=["status"])
        transaction.set_rollback(True)
    assert watch.changed() == []
    watch.before()
    cast.other_member.status = "ended"
    cast.other_member.save(update_fields=["status"])
    assert watch.changed() == ["members_member"]
