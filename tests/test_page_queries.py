"""Each role's main pages make a fixed number of queries (issue 16): pinned, so a new N+1 in a
view, a template or a context processor shows up here and not first under load.

The counts are those of a warm request by a logged-in user with a real history (a booked
appointment, a logged session, a region's plan): the session and the user are read, nothing is
written on GET. If a change adds a query on purpose, raise the pin here and say why.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from core.roles import Role
from tests.conftest import login

# (role or None for anonymous, url name, kwargs, queries)
PAGES: list[tuple[str | None, str, dict, int]] = [
    (None, "account_login", {}, 0),
    (None, "home", {}, 3),
    (None, "regions:list", {}, 1),
    (Role.MEMBER, "home", {}, 9),
    (Role.MEMBER, "loopbaan:mine", {}, 6),
    (Role.MEMBER, "loopbaan:book_place", {}, 6),
    (Role.CONSULTANT, "home", {}, 10),
    (Role.CONSULTANT, "signals:session_list", {}, 8),
    (Role.CONSULTANT, "signals:session_new", {}, 10),
    (Role.CONSULTANT, "loopbaan:agenda", {}, 8),
    (Role.ADVISER, "home", {}, 12),
    (Role.ADVISER, "trajectories:intake_queue", {}, 8),
    (Role.REGIONAL_OFFICIAL, "home", {}, 11),
    (Role.REGIONAL_OFFICIAL, "plans:overview", {}, 14),
    (Role.COORDINATOR, "home", {}, 16),
    (Role.COORDINATOR, "dashboard:region", {"code": "AM13"}, 41),
    (Role.SECTOR_OFFICIAL, "home", {}, 12),
    (Role.SECTOR_OFFICIAL, "signals:signal_list", {}, 11),
    (Role.LEGAL, "home", {}, 7),
    (Role.LEGAL, "referrals:inbox", {}, 8),
    (Role.ADMIN, "home", {}, 16),
    (Role.ADMIN, "admin:members_member_changelist", {}, 12),
]


@pytest.mark.parametrize(
    ("role", "name", "kwargs", "queries"),
    PAGES,
    ids=[f"{role or 'anonymous'}-{name}" for role, name, _, _ in PAGES],
)
def test_main_page_query_count(
    client, cast, role, name, kwargs, queries, django_assert_num_queries
):
    if role is not None:
        login(client, cast.by_role()[role])
    url = reverse(name, kwargs=kwargs)
    first = client.get(url)  # warm: per-process caches filled, as on a busy server
    assert first.status_code == 200, (url, first.status_code, first.get("Location"))
    with django_assert_num_queries(queries):
        response = client.get(url)
    assert response.status_code == 200
