"""The admin's change lists, drawn with less overhead: the cells of each row, the rows, and the
choices of the list filters (`{% load adminlists %}`, used by the overrides in
templates/admin/).

The member list at a million members is the admin page people wait for (issue 16: a single
request within 50 ms). Rendering it took about 22 ms in one process on the development machine
(3 Dec 2026), and a third of that was Django's generic markup code rather than data: each cell
passes `format_html` twice (each argument through `conditional_escape` and `keep_lazy`'s check
for lazy strings), the empty-value text is translated again for every cell, the link of every
row resolves its own URL again to find which filters to carry, and each row and filter choice
is four to six template nodes. Here the same markup is written with plain string formatting
and the same escaping, the empty-value text is asked for once per list, the change URL is
reversed once per list with the filters to carry on it (`_row_links`: every row links to the
same view).

The markup is Django's own, character for character apart from whitespace between tags:
`tests/core/test_adminlists.py` renders the change lists of every registered admin both ways (with
searches, filters, empty values and booleans) and compares them. Lists that Django draws
differently (editable lists with a formset, popups, a `to_field`) are left to Django.
"""

from __future__ import annotations

import contextlib
import datetime
import html
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any
from urllib.parse import quote

from django import template
from django.contrib.admin.templatetags import admin_list
from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.contrib.admin.templatetags.base import InclusionAdminNode
from django.contrib.admin.utils import (
    display_for_field,
    display_for_value,
    get_fields_from_path,
    lookup_field,
)
from django.contrib.admin.utils import quote as admin_quote
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist
from django.db import models
from django.db.models.constants import LOOKUP_SEP
from django.urls import NoReverseMatch, reverse
from django.utils.encoding import iri_to_uri
from django.utils.functional import Promise
from django.utils.http import RFC3986_SUBDELIMS
from django.utils.safestring import SafeString

register = template.Library()


def _escape(value: Any) -> str:
    """`django.utils.html.conditional_escape`, without `keep_lazy`'s look at every argument:
    safe markup as it is, anything else as text with &, <, >, " and ' escaped."""
    if isinstance(value, Promise):
        value = str(value)
    if hasattr(value, "__html__"):
        return str(value.__html__())
    return html.escape(str(value))


# --- list filters -----------------------------------------------------------------------------


@register.simple_tag
def filter_choices(choices: Iterable[Mapping[str, Any]]) -> SafeString:
    """The `<li>` of each choice of a list filter, as Django's `admin/filter.html` draws them."""
    return SafeString(
        "\n".join(
            '<li{}><a href="{}">{}</a></li>'.format(
                ' class="selected"' if choice["selected"] else "",
                _escape(iri_to_uri(choice["query_string"])),
                _escape(choice["display"]),
            )
            for choice in choices
        )
    )


# --- rows ----------------------------------------------------------------------------------------


def _plain(cl: Any) -> bool:
    """A list drawn here: not editable, not a popup, no `to_field` (see the module's text)."""
    return not cl.formset and not cl.is_popup and not cl.to_field


def _cells(
    cl: Any, result: Any, empty: str, row_link: Callable[[Any], str]
) -> Iterator[SafeString]:
    """The cells of one row: Django's `items_for_result` (6.1) for a plain list, written with
    plain formatting. `row_link` is the row's change URL with the carried filters
    (`_row_links`)."""
    first = True
    for field_index, field_name in enumerate(cl.list_display):
        empty_value_display = empty
        row_classes = [f"field-{_coerce_field_name(field_name, field_index)}"]
        link_to_changelist = _link_in_col(first, field_name, cl)
        try:
            f, attr, value = lookup_field(field_name, result, cl.model_admin)
        except ObjectDoesNotExist:
            result_repr = empty_value_display
        else:
            empty_value_display = getattr(attr, "empty_value_display", empty_value_display)
            if f is None and isinstance(field_name, str) and LOOKUP_SEP in field_name:
                with contextlib.suppress(FieldDoesNotExist):  # e.g. __str__
                    f = get_fields_from_path(cl.model, field_name)[-1]
            if f is None or f.auto_created:
                if field_name == "action_checkbox":
                    row_classes = ["action-checkbox"]
                boolean = getattr(attr, "boolean", False)
                if isinstance(attr, property) and hasattr(attr, "fget"):
                    boolean = getattr(attr.fget, "boolean", False)
                result_repr = display_for_value(value, empty_value_display, boolean)
                if isinstance(value, datetime.date | datetime.time):
                    row_classes.append("nowrap")
            else:
                if isinstance(f.remote_field, models.ManyToOneRel):
                    result_repr = empty_value_display if value is None else value
                else:
                    result_repr = display_for_field(
                        value, f, empty_value_display, avoid_link=link_to_changelist
                    )
                if isinstance(f, models.DateField | models.TimeField | models.ForeignKey):
                    row_classes.append("nowrap")
        row_class = ' class="{}"'.format(" ".join(row_classes))
        if link_to_changelist:
            table_tag = "th" if first else "td"
            first = False
            try:
                url = row_link(result)
            except NoReverseMatch:
                link_or_text = _escape(result_repr)
            else:
                link_or_text = f'<a href="{_escape(url)}">{_escape(result_repr)}</a>'
            yield SafeString(f"<{table_tag}{row_class}>{link_or_text}</{table_tag}>")
        else:
            yield SafeString(f"<td{row_class}>{_escape(result_repr)}</td>")


def _coerce_field_name(field_name: Any, field_index: int) -> str:
    """Django's: the name of a `list_display` entry for its cell's class."""
    if callable(field_name):
        if field_name.__name__ == "<lambda>":
            return f"lambda{field_index}"
        return str(field_name.__name__)
    return str(field_name)


def _link_in_col(is_first: bool, field_name: Any, cl: Any) -> bool:
    if cl.list_display_links is None:
        return False
    if is_first and not cl.list_display_links:
        return True
    return field_name in cl.list_display_links


# Letters and hyphens only: `reverse` quotes nothing in it, and no admin URL holds it.
_PK_MARK = "adminlists-row-pk"


def _row_links(cl: Any) -> Callable[[Any], str]:
    """A row's link: `cl.url_for_result` with the list's filters carried
    (`add_preserved_filters`), both worked out once per list rather than once per row (25
    reverses were 14 % of the member list's time under py-spy, and carrying the filters resolved
    every row's URL again). The change URL is reversed with a marker for the key and the filters
    carried on it; every row links to the same view, so the query is the same for each. A row's
    URL puts its key where the marker was, quoted as `reverse` quotes it (the admin's `quote`,
    then `urllib`'s with the same safe characters). A ChangeList with its own `url_for_result`
    keeps it, with Django's carrying for each row."""
    context = {"preserved_filters": cl.preserved_filters, "opts": cl.opts}

    def djangos(result: Any) -> str:
        return str(add_preserved_filters(context, cl.url_for_result(result)))

    if type(cl).url_for_result is not ChangeList.url_for_result:
        return djangos
    try:
        pattern = reverse(
            f"admin:{cl.opts.app_label}_{cl.opts.model_name}_change",
            args=(_PK_MARK,),
            current_app=cl.model_admin.admin_site.name,
        )
    except NoReverseMatch:
        return djangos
    before, found, after = add_preserved_filters(context, pattern).partition(_PK_MARK)
    if not found or _PK_MARK in after:
        return djangos

    def link(result: Any) -> str:
        key = str(admin_quote(getattr(result, cl.pk_attname)))
        return before + quote(key, safe=RFC3986_SUBDELIMS + "/~:@") + after

    return link


def _results(cl: Any) -> list[Any]:
    if not _plain(cl):
        return list(admin_list.results(cl))
    empty = cl.model_admin.get_empty_value_display()
    link = _row_links(cl)
    return [
        admin_list.ResultList(None, _cells(cl, result, empty, link)) for result in cl.result_list
    ]


def result_list(cl: Any) -> dict[str, Any]:
    """Django's `result_list` (the context of `change_list_results.html`), with the rows above."""
    headers = list(admin_list.result_headers(cl))
    return {
        "cl": cl,
        "result_hidden_fields": list(admin_list.result_hidden_fields(cl)),
        "result_headers": headers,
        "num_sorted_fields": sum(1 for h in headers if h["sortable"] and h["sorted"]),
        "results": _results(cl),
    }


@register.tag(name="fast_result_list")
def result_list_tag(parser: Any, token: Any) -> InclusionAdminNode:
    return InclusionAdminNode(
        "result_list",
        parser,
        token,
        func=result_list,
        template_name="change_list_results.html",
        takes_context=False,
    )


@register.simple_tag
def result_rows(results: Iterable[Any]) -> SafeString:
    """The `<tr>` of each result (`ResultList`; `form` is set for an editable list), as
    Django's `admin/change_list_results.html` draws them."""
    rows: list[str] = []
    for result in results:
        form = getattr(result, "form", None)
        if form and form.non_field_errors():
            rows.append(
                f'<tr><td colspan="{len(result)}">{_escape(form.non_field_errors())}</td></tr>'
            )
        rows.append("<tr>" + "".join(_escape(item) for item in result) + "</tr>")
    return SafeString("\n".join(rows))
