"""core.adminlists draws the admin's change lists with Django's own markup (issue 16): the rows
and the filter choices of every registered admin, and of the member list searched, filtered and
sorted, compared with what Django's templates and `items_for_result` make of the same list."""

from __future__ import annotations

import re
from pathlib import Path

import django.contrib.admin
import pytest
from django.contrib import admin
from django.contrib.admin.templatetags import admin_list
from django.template import Context, engines
from django.template.loader import get_template
from django.urls import reverse

from core import adminlists
from tests.conftest import login

pytestmark = pytest.mark.django_db

DJANGO_ADMIN_TEMPLATES = Path(django.contrib.admin.__file__).parent / "templates" / "admin"


def _djangos(name: str):
    return engines["django"].engine.from_string((DJANGO_ADMIN_TEMPLATES / name).read_text())


def _normal(markup: str) -> str:
    """The markup without the whitespace between tags (the only difference allowed)."""
    return re.sub(r">\s+<", "><", markup).strip()


def _assert_drawn_as_django_draws(cl) -> str:
    ours = get_template("admin/change_list_results.html").template.render(
        Context(adminlists.result_list(cl))
    )
    theirs = _djangos("change_list_results.html").render(Context(admin_list.result_list(cl)))
    assert _normal(ours) == _normal(theirs)
    our_filter = get_template("admin/filter.html").template
    their_filter = _djangos("filter.html")
    for spec in cl.filter_specs:
        context = {"title": spec.title, "choices": list(spec.choices(cl)), "spec": spec}
        assert _normal(our_filter.render(Context(context))) == _normal(
            their_filter.render(Context(context))
        )
    return ours


def _changelist(client, model, query: dict | None = None):
    info = (model._meta.app_label, model._meta.model_name)
    response = client.get(reverse("admin:{}_{}_changelist".format(*info)), query or {})
    assert response.status_code == 200, (model, response.status_code)
    return response.context["cl"]


def test_every_admin_list_is_drawn_as_django_draws_it(client, cast):
    from tests.factories import MemberFactory

    # Rows with what a cell can hold: no sector (the empty value), a demo member (a boolean),
    # markup and quotes in a name.
    MemberFactory(last_name='<b>Bakker</b> & "Zn"', sector=None, is_demo=True, postcode="3511 AB")
    login(client, cast.admin)
    drawn = 0
    for model in admin.site._registry:
        cl = _changelist(client, model)
        if cl.formset is not None:
            continue  # an editable list: Django draws it (below)
        markup = _assert_drawn_as_django_draws(cl)
        drawn += bool(cl.result_list)
        if model._meta.label == "members.Member":
            assert "&lt;b&gt;Bakker&lt;/b&gt; &amp; &quot;Zn&quot;" in markup
            assert "icon-yes" in markup and "icon-no" in markup
    assert drawn >= 10  # lists with rows, not only empty ones


def test_the_member_list_searched_filtered_and_sorted_is_drawn_as_django_draws_it(client, cast):
    from tests.factories import MemberFactory

    for number in range(3):
        MemberFactory(postcode=f"3511 A{'BCD'[number]}", region=cast.region)
    login(client, cast.admin)
    from members.models import Member

    for query in (
        {"q": "3511"},  # each row's link carries the search back to the list
        {"q": "3511 AB", "status__exact": "active"},
        {"region__id__exact": str(cast.region.pk), "o": "-1"},
        {"is_demo__exact": "0", "o": "2.1"},
    ):
        cl = _changelist(client, Member, query)
        assert cl.result_list, query
        markup = _assert_drawn_as_django_draws(cl)
        if "q" in query:
            assert "_changelist_filters=" in markup


def test_the_member_list_page_draws_its_rows_here(monkeypatch, client, cast):
    drawn = []
    original = adminlists._cells

    def counting(*args, **kwargs):
        drawn.append(args[1])
        return original(*args, **kwargs)

    monkeypatch.setattr(adminlists, "_cells", counting)
    login(client, cast.admin)
    response = client.get(reverse("admin:members_member_changelist"))
    assert response.status_code == 200
    assert drawn and drawn == list(response.context["cl"].result_list)
    for member in drawn:
        assert reverse("admin:members_member_change", args=[member.pk]) in response.text


def test_an_editable_list_is_left_to_django(client, cast):
    """The themes are edited in their list (list_editable): a formset, drawn by Django."""
    from signals.models import Theme

    Theme.objects.get_or_create(name="Werkdruk", defaults={"group": "arbeidsinhoud"})
    login(client, cast.admin)
    cl = _changelist(client, Theme)
    assert cl.formset is not None and cl.result_list
    ours = adminlists.result_list(cl)["results"]
    assert [result.form for result in ours] == list(cl.formset.forms)
    assert [list(result) for result in ours] == [
        list(result) for result in admin_list.result_list(cl)["results"]
    ]


@pytest.mark.parametrize("key", [7, "3511 AB", "a/b?c=d&e#f", "100%_2F", "é ü ß", "~:@!$&'()*+,;="])
def test_a_rows_url_is_the_one_reverse_makes(rf, key):
    """The change URL is reversed once per list (with the filters carried) and each row's key
    put in its place, quoted as `reverse` quotes it: the same URL for keys with every kind of
    character, and the same carried filters as Django puts on each row."""
    from types import SimpleNamespace

    from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
    from django.contrib.admin.utils import quote
    from django.contrib.admin.views.main import ChangeList

    from members.models import Member

    cl = ChangeList.__new__(ChangeList)  # only what url_for_result reads
    cl.opts = Member._meta
    cl.pk_attname = "pk"
    cl.model_admin = admin.site._registry[Member]
    cl.preserved_filters = ""
    row = SimpleNamespace(pk=key)
    assert adminlists._row_links(cl)(row) == cl.url_for_result(row)
    assert cl.url_for_result(row) == reverse("admin:members_member_change", args=(quote(key),))
    # with a search to carry back to the list, as Django carries it on each row
    cl.preserved_filters = "_changelist_filters=q%3D3511+AB"
    context = {"preserved_filters": cl.preserved_filters, "opts": cl.opts}
    assert adminlists._row_links(cl)(row) == add_preserved_filters(context, cl.url_for_result(row))
