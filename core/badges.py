"""A status in words, coloured by its value: `{% status_badge plan %}` draws
`<span class="badge status-<value>">label</span>` (site.css maps status-<value> to a tone).

A template tag rather than an include: list pages draw one per row (the signal list 40, the
trajectory and referral lists a page's worth), and each include with its own context, plus the
model's `get_status_display` (which makes every choice hashable again on each call), cost more
than the row around it. The labels of a model's `status` choices are read once per model and
translated when drawn, so a page in English shows English labels.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

register = template.Library()

_LABELS: dict[str, dict[Any, Any]] = {}


def status_label(obj: Any) -> str:
    """What `obj.get_status_display()` gives, for a model with a `status` field with choices, or
    for any object with `status` and `get_status_display` (rows that stand in for a model)."""
    meta = getattr(obj, "_meta", None)
    if meta is None:
        return str(obj.get_status_display())
    labels = _LABELS.get(meta.label)
    if labels is None:
        labels = _LABELS[meta.label] = dict(meta.get_field("status").flatchoices)
    return str(labels.get(obj.status, obj.status))


@register.simple_tag
def status_badge(obj: Any) -> SafeString:
    return format_html('<span class="badge status-{}">{}</span>', obj.status, status_label(obj))
