"""No English on a Dutch page: every page of the access table as every role that may see it,
and the admin's list, add and change pages of every model, read in Dutch.

The check (tests/english_words.py) looks for English words and phrases that Django, allauth
and the admin leave behind when a string lacks a Dutch translation, in the visible text only.
"""

from __future__ import annotations

import contextlib
import re

import pytest
from django.contrib import admin
from django.urls import NoReverseMatch, reverse

from tests.access_table import ACCESS_TABLE, ANONYMOUS
from tests.conftest import login
from tests.english_words import english_in

pytestmark = pytest.mark.django_db


def _portal_pages(cast) -> list[tuple[str, str]]:
    """(role, url) for every GET page of the access table and every role allowed on it."""
    pages = []
    for row in ACCESS_TABLE:
        if not row.probe or "GET" not in row.methods or row.name == "admin:":
            continue
        url = reverse(row.name, kwargs=row.kwargs(cast) if row.kwargs else None)
        pages.extend((role, url) for role in sorted(row.allowed))
    return pages


def _admin_pages() -> list[str]:
    """The admin's index, and the list, add and change page of every registered model."""
    pages = [reverse("admin:index")]
    for model in admin.site._registry:
        info = (model._meta.app_label, model._meta.model_name)
        pages.append(reverse("admin:{}_{}_changelist".format(*info)))
        with contextlib.suppress(NoReverseMatch):  # models without an add page
            pages.append(reverse("admin:{}_{}_add".format(*info)))
        first = model._default_manager.order_by("pk").first()
        if first is not None:
            pages.append(reverse("admin:{}_{}_change".format(*info), args=[first.pk]))
            pages.append(reverse("admin:{}_{}_history".format(*info), args=[first.pk]))
    return pages


def _people_names() -> tuple[str, ...]:
    """Full names of the people in the data (data, not the portal's own words), longest first.
    Whole names only: a single surname such as "The" must not hide an English "The"."""
    from members.models import Member, User

    names = set(User.objects.exclude(full_name="").values_list("full_name", flat=True))
    names.update(
        f"{first} {last}" for first, last in Member.objects.values_list("first_name", "last_name")
    )
    return tuple(sorted((name for name in names if " " in name.strip()), key=len, reverse=True))


def _english_on(client, url: str, names: tuple[str, ...] = ()) -> list[str]:
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="nl")
    if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
        return []
    return [f"{url}: {hit}" for hit in english_in(response.content.decode(), names)]


def test_no_page_of_any_role_shows_english(client, cast):
    pages = _portal_pages(cast)  # built first: the kwargs builders create the objects
    admin_pages = _admin_pages()
    by_role = cast.by_role()
    names = _people_names()
    hits: list[str] = []
    seen = 0
    for role in sorted({role for role, _ in pages}):
        client.logout()
        if role != ANONYMOUS:
            login(client, by_role[role])
        for page_role, url in pages:
            if page_role == role:
                hits.extend(f"{role} {hit}" for hit in _english_on(client, url, names))
                seen += 1
    client.logout()
    login(client, cast.admin)
    for url in admin_pages:
        hits.extend(f"admin {hit}" for hit in _english_on(client, url, names))
        seen += 1
    assert seen > 250
    assert not hits, f"{len(hits)} English texts on Dutch pages:\n" + "\n".join(sorted(set(hits)))


_LINK = re.compile(r'<a [^>]*href="(/[^"#]*)"')
# Not followed: the admin (crawled above), files, and switching language or logging out.
_NOT_FOLLOWED = re.compile(
    r"^/(beheer|static|i18n|accounts/logout)/|\.(csv|ics|json|xlsx|pdf|svg)$"
)


def test_no_page_of_the_demo_data_shows_english(client):
    """The pages each demo user reaches by following links from their home page, with the
    demo's fuller data (appointments, trajectories, signals, plans): data-dependent text such
    as a signal's title is checked too."""
    from members.demo import seed_demo
    from members.models import User

    logins = seed_demo(member_count=400)  # fewer members make the trajectory demo data fail
    users = {}
    for demo_login in logins:
        users.setdefault(demo_login.role, User.objects.get(email=demo_login.email))
    hits: list[str] = []
    seen = 0
    for role, user in users.items():
        client.logout()
        login(client, user)
        queue, visited, shapes = [reverse("home")], set(), {}
        while queue and len(visited) < 60:
            url = queue.pop(0)
            visited.add(url)
            response = client.get(url, HTTP_ACCEPT_LANGUAGE="nl")
            if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
                continue
            seen += 1
            html = response.content.decode()
            hits.extend(f"{role} {url}: {hit}" for hit in english_in(html))
            for link in _LINK.findall(html):
                link = link.replace("&amp;", "&")
                shape = re.sub(r"\d+", "N", link.split("?")[0])
                if _NOT_FOLLOWED.search(link) or link in visited or link in queue:
                    continue
                if shapes.get(shape, 0) < 2:
                    shapes[shape] = shapes.get(shape, 0) + 1
                    queue.append(link)
    assert seen > 100
    assert not hits, f"{len(hits)} English texts on Dutch pages:\n" + "\n".join(sorted(set(hits)))
