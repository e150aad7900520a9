"""Every URL pattern has a row in the access table, and the table holds when probed."""

from __future__ import annotations

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.access_table import ACCESS_TABLE, ANONYMOUS, Access
from tests.conftest import login


def _walk(patterns, namespace: str = "", prefix: str = ""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace + (f"{pattern.namespace}:" if pattern.namespace else "")
            yield from _walk(pattern.url_patterns, inner, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield (
                namespace,
                (namespace + pattern.name) if pattern.name else None,
                prefix + str(pattern.pattern),
            )


def _covered(name: str | None, namespace: str) -> bool:
    for row in ACCESS_TABLE:
        if row.name.endswith(":") and namespace.startswith(row.name):
            return True
        if name is not None and row.name == name:
            return True
    return False


def test_it_has_an_access_row_for_every_url_pattern():
    missing = [
        f"{name or '(unnamed)'} -> /{route}"
        for namespace, name, route in _walk(get_resolver().url_patterns)
        if not _covered(name, namespace)
    ]
    assert not missing, "URL patterns without a row in tests/access_table.py:\n" + "\n".join(
        missing
    )


def test_it_has_no_rows_for_urls_that_do_not_exist():
    names = {name for _, name, _ in _walk(get_resolver().url_patterns) if name}
    namespaces = {namespace for namespace, _, _ in _walk(get_resolver().url_patterns)}
    stale = [
        row.name
        for row in ACCESS_TABLE
        if not (row.name in names or (row.name.endswith(":") and row.name in namespaces))
    ]
    assert not stale


def test_every_unprobed_row_says_why():
    assert all(row.reason for row in ACCESS_TABLE if not row.probe)


def _probe_rows() -> list[Access]:
    rows = []
    for row in ACCESS_TABLE:
        if not row.probe:
            continue
        rows.append(row)
    return rows


def _url(row: Access, cast) -> str:
    if row.name == "admin:":
        return reverse("admin:index")
    return reverse(row.name, kwargs=row.kwargs(cast) if row.kwargs else None)


ROLES = [
    ANONYMOUS,
    "member",
    "consultant",
    "adviser",
    "regional_official",
    "coordinator",
    "sector_official",
    "legal",
    "admin",
]


@pytest.mark.parametrize(
    "row", _probe_rows(), ids=lambda row: f"{row.name}{'[' + row.label + ']' if row.label else ''}"
)
def test_it_gives_each_role_exactly_what_the_table_says(client, cast, row: Access):
    """Allowed roles get a page (or a redirect that is not to the login page); others get
    404 when logged in and the login page when anonymous."""
    failures = []
    url = _url(row, cast)  # built once: kwargs builders may create the object they point to
    for role in ROLES:
        client.logout()
        user = cast.by_role()[role]
        if user is not None:
            login(client, user)
        response = client.get(url)
        location = response.get("Location", "")
        to_login = response.status_code == 302 and reverse("account_login") in location
        if role in row.allowed:
            ok = response.status_code < 400 and not to_login
        elif role == ANONYMOUS:
            ok = to_login or response.status_code == 404
        else:
            ok = response.status_code == 404
        if not ok:
            failures.append(f"{role}: {response.status_code} {location}")
    assert not failures, f"{row.name} ({url}):\n" + "\n".join(failures)


def test_the_readme_shows_the_access_matrix_the_tests_check():
    from tests.access_matrix import readme_section, render_matrix

    assert readme_section() == render_matrix(), "run: python -m tests.access_matrix"


def _database_fingerprint() -> dict[str, str]:
    """A hash of every table's rows, to show that refused requests changed nothing.

    Sessions, the audit log and login bookkeeping change on every request by design; users are
    compared without `last_login`, which logging in the probe's cast sets.
    """
    from django.db import connection

    skip = {"django_session", "audit_auditentry", "account_emailconfirmation", "django_admin_log"}
    fingerprint = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            if table in skip:
                continue
            if table == "members_user":
                cursor.execute(
                    "SELECT md5(coalesce(string_agg(row_to_json(t)::jsonb - 'last_login' #>> '{}', '|' ORDER BY id), '')) FROM members_user t"
                )
            elif table == "mfa_authenticator":
                cursor.execute(
                    "SELECT md5(coalesce(string_agg(row_to_json(t)::jsonb - 'last_used_at' #>> '{}', '|' ORDER BY id), '')) FROM mfa_authenticator t"
                )
            else:
                cursor.execute(
                    f"SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) FROM \"{table}\" t"
                )
            fingerprint[table] = cursor.fetchone()[0]
    return fingerprint


@pytest.mark.parametrize(
    "row", _probe_rows(), ids=lambda row: f"{row.name}{'[' + row.label + ']' if row.label else ''}"
)
def test_refused_writes_change_nothing(client, cast, row: Access):
    """Every role that may not use a URL posts to it: no 2xx, and not one row changes."""
    url = _url(row, cast)
    refused = [role for role in ROLES if role not in row.allowed]
    if not refused:
        return
    before = _database_fingerprint()
    failures = []
    for role in refused:
        client.logout()
        user = cast.by_role()[role]
        if user is not None:
            login(client, user)
        response = client.post(
            url, {"pk": cast.other_member.pk, "member": cast.other_member.pk, "status": "ended"}
        )
        if 200 <= response.status_code < 300:
            failures.append(f"{role}: {response.status_code}")
    changed = [
        table for table, value in _database_fingerprint().items() if before.get(table) != value
    ]
    assert not failures, f"{row.name} ({url}) accepted a write:\n" + "\n".join(failures)
    assert not changed, f"{row.name} ({url}): refused writes changed {changed}"


def test_the_fingerprint_notices_a_changed_row(cast):
    before = _database_fingerprint()
    cast.other_member.status = "ended"
    cast.other_member.save(update_fields=["status"])
    after = _database_fingerprint()
    assert [table for table in after if after[table] != before[table]] == ["members_member"]
