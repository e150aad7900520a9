"""Each role's main pages make a fixed number of queries (issue 16): pinned, so a new N+1 in a
view, a template or a context processor shows up here and not first under load.

The counts are those of a warm request by a logged-in user with a real history (a booked
appointment, a logged session, a region's plan), with the production session store: the
session is read from Redis (cached_db), the user from the database with its TOTP flag
(members/backends.py), and nothing is written on GET but the audit. Without REDIS_URL the
session store is the database, which adds the session's one query. If a change adds a query
on purpose, raise the pin here and say why.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from core.roles import Role
from tests.conftest import login, session_queries

# (role or None for anonymous, url name, kwargs, queries)
PAGES: list[tuple[str | None, str, dict, int]] = [
    (None, "account_login", {}, 0),
    (None, "home", {}, 3),
    (None, "regions:list", {}, 1),
    (Role.MEMBER, "home", {}, 7),
    (Role.MEMBER, "loopbaan:mine", {}, 5),
    (Role.MEMBER, "loopbaan:book_place", {}, 5),
    (Role.CONSULTANT, "home", {}, 3),
    (Role.CONSULTANT, "signals:session_list", {}, 3),
    (Role.CONSULTANT, "signals:session_new", {}, 5),
    (Role.CONSULTANT, "loopbaan:agenda", {}, 3),
    (Role.ADVISER, "home", {}, 5),
    (Role.ADVISER, "trajectories:intake_queue", {}, 3),
    (Role.REGIONAL_OFFICIAL, "home", {}, 4),
    (Role.REGIONAL_OFFICIAL, "plans:overview", {}, 8),
    (Role.COORDINATOR, "home", {}, 8),
    (Role.COORDINATOR, "dashboard:region", {"code": "AM13"}, 5),
    (Role.SECTOR_OFFICIAL, "home", {}, 5),
    (Role.SECTOR_OFFICIAL, "signals:signal_list", {}, 5),
    (Role.LEGAL, "home", {}, 2),
    (Role.LEGAL, "referrals:inbox", {}, 3),
    (Role.ADMIN, "home", {}, 9),
    (Role.ADMIN, "admin:members_member_changelist", {}, 7),
]


@pytest.mark.parametrize(
    ("role", "name", "kwargs", "queries"),
    PAGES,
    ids=[f"{role or 'anonymous'}-{name}" for role, name, _, _ in PAGES],
)
def test_main_page_query_count(
    client, cast, role, name, kwargs, queries, django_assert_num_queries
):
    # The page cache is off (tests/conftest.py): these are the rendering's own queries.
    if role is not None:
        login(client, cast.by_role()[role])
        queries += session_queries()
    url = reverse(name, kwargs=kwargs)
    first = client.get(url)  # warm: per-process caches filled, as on a busy server
    assert first.status_code == 200, (url, first.status_code, first.get("Location"))
    with django_assert_num_queries(queries):
        response = client.get(url)
    assert response.status_code == 200


# Served from the page cache (fnvregio/pagecache.py): the audit entries the page writes, in one
# INSERT, and nothing else. The user of the session comes from Redis too while nothing was
# written (members/backends.py load_user; since 3 Dec 2026, fourth session: one query less on
# every logged-in page).
CACHED: list[tuple[str | None, str, dict, int]] = [
    (None, "account_login", {}, 0),
    (None, "home", {}, 0),
    (None, "regions:list", {}, 0),
    (Role.MEMBER, "home", {}, 0),
    (Role.MEMBER, "loopbaan:mine", {}, 1),
    (Role.MEMBER, "loopbaan:book_place", {}, 0),
    (Role.CONSULTANT, "signals:session_list", {}, 1),
    (Role.CONSULTANT, "signals:session_new", {}, 0),
    (Role.REGIONAL_OFFICIAL, "plans:overview", {}, 0),
    (Role.COORDINATOR, "dashboard:region", {"code": "AM13"}, 0),
    (Role.SECTOR_OFFICIAL, "signals:signal_list", {}, 0),
    (Role.ADMIN, "admin:members_member_changelist", {}, 1),
]


@pytest.mark.page_cache
@pytest.mark.parametrize(
    ("role", "name", "kwargs", "queries"),
    CACHED,
    ids=[f"{role or 'anonymous'}-{name}" for role, name, _, _ in CACHED],
)
def test_main_page_from_the_cache_query_count(
    client, cast, role, name, kwargs, queries, django_assert_num_queries
):
    if role is not None:
        login(client, cast.by_role()[role])
        queries += session_queries()
    url = reverse(name, kwargs=kwargs)
    assert client.get(url).status_code == 200  # rendered and stored
    with django_assert_num_queries(queries):
        response = client.get(url)
    assert response.status_code == 200 and response.context is None  # from the cache


def _changelist(client, cast, query: str = "") -> list[str]:
    """The member numbers the admin's member list shows for a search."""
    login(client, cast.admin)
    response = client.get(reverse("admin:members_member_changelist"), {"q": query} if query else {})
    assert response.status_code == 200
    return [m.member_number for m in response.context["cl"].result_list]


def test_admin_member_search_by_number_postcode_and_surname(client, cast):
    from tests.factories import MemberFactory

    jansen = MemberFactory(last_name="Jansen", postcode="3511 AB", member_number="4400001")
    janssen = MemberFactory(last_name="Janssen", postcode="3512 CD", member_number="4400002")
    MemberFactory(last_name="de Vries", postcode="1011 AA", member_number="4400003")

    def ours(query: str) -> list[str]:
        """The cast's own members have generated Dutch names (a Jansen is likely): look only
        at the three made here."""
        return [n for n in _changelist(client, cast, query) if n.startswith("440000")]

    # A member number exactly (not a part of one).
    assert _changelist(client, cast, "4400001") == [jansen.member_number]
    assert _changelist(client, cast, "440000") == []
    # A postcode by its beginning, written either way.
    assert ours("3511") == [jansen.member_number]
    assert ours("3512cd") == [janssen.member_number]
    # A postcode search lists by postcode, then number (members/admin.py get_ordering: in
    # number order the planner read a quarter of a million rows for one postcode).
    MemberFactory(last_name="Bakker", postcode="3512 AB", member_number="4400004")
    MemberFactory(last_name="Smit", postcode="3512 AB", member_number="4400000")
    assert ours("3512") == ["4400000", "4400004", janssen.member_number]  # AB, AB, CD
    # A surname by its beginning, in any case.
    assert sorted(ours("jans")) == ["4400001", "4400002"]
    assert ours("JANSSEN") == [janssen.member_number]
    assert ours("vries") == []  # the beginning, not any part


def test_admin_member_list_counts_large_tables_by_estimate(monkeypatch, client, cast):
    """Unfiltered, a large table's rows are the planner's estimate, not a COUNT(*); searched
    lists are counted exactly."""
    from core import pagination

    monkeypatch.setattr(pagination, "estimated_rows", lambda queryset: 1_000_000)
    login(client, cast.admin)
    url = reverse("admin:members_member_changelist")
    response = client.get(url)
    assert response.context["cl"].result_count == 1_000_000
    counts = [q["sql"] for q in _queries(client, url) if "COUNT(" in q["sql"].upper()]
    assert not [sql for sql in counts if '"members_member"' in sql], counts
    searched = client.get(url, {"q": cast.member.member_number})
    assert searched.context["cl"].result_count == 1


def _queries(client, url: str) -> list[dict]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    return captured.captured_queries


def test_the_admin_builds_its_list_of_models_only_where_a_page_shows_it(monkeypatch, client, cast):
    from fnvregio.admin import PortalAdminSite

    built = []
    original = PortalAdminSite.get_app_list

    def counting(self, request, app_label=None):
        built.append(app_label)
        return original(self, request, app_label)

    monkeypatch.setattr(PortalAdminSite, "get_app_list", counting)
    login(client, cast.admin)
    assert client.get(reverse("admin:members_member_changelist")).status_code == 200
    assert built == []
    index = client.get(reverse("admin:index"))
    assert built and "members/member/" in index.content.decode()
