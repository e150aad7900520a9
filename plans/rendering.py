"""Markdown to safe HTML, and the marked-up difference between two texts.

Markdown is rendered with Python-Markdown's raw-HTML handling switched off (so `<script>` in a
plan is shown as text), and the result is cleaned once more with nh3 against a short list of
tags and attributes: no raw HTML reaches the page, whatever the author typed.
"""

from __future__ import annotations

import difflib
import re

import markdown
import nh3
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

ALLOWED_TAGS = {
    "p",
    "br",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "strong",
    "em",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "a",
    "hr",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}}
URL_SCHEMES = {"http", "https", "mailto"}


class _NoRawHtml(markdown.Extension):
    """Treat HTML in the source as text: drop the raw-HTML block and inline processors."""

    def extendMarkdown(self, md):  # noqa: N802  (Python-Markdown's hook name)
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")


def render_markdown(text: str) -> SafeString:
    """Render a section's Markdown to HTML that is safe to put on a page."""
    if not text:
        return mark_safe("")
    # Headings inside a section start at h3: the section title is the h2.
    html = markdown.markdown(
        text,
        extensions=[_NoRawHtml(), "tables", "sane_lists"],
        output_format="html",
    )
    html = re.sub(r"<(/?)h1>", r"<\1h3>", html)
    html = re.sub(r"<(/?)h2>", r"<\1h3>", html)
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    )
    return mark_safe(cleaned)  # noqa: S308  (nh3 output with a fixed allow-list)


_TOKEN = re.compile(r"\s+|\w+|[^\w\s]", re.UNICODE)


def _tokens(text: str) -> list[str]:
    return _TOKEN.findall(text or "")


def diff_texts(old: str, new: str) -> tuple[SafeString, SafeString, bool]:
    """Word-level difference as two HTML fragments (old with <del>, new with <ins>).

    Each marked change carries a visually hidden label, so screen readers announce it too
    (not every one reads <del>/<ins> out by itself). Returns (old_html, new_html, changed).
    """
    old_tokens, new_tokens = _tokens(old), _tokens(new)
    matcher = difflib.SequenceMatcher(a=old_tokens, b=new_tokens, autojunk=False)
    left: list[str] = []
    right: list[str] = []
    removed_label = escape(_("verwijderd:"))
    added_label = escape(_("toegevoegd:"))
    end_label = escape(_("einde wijziging"))
    changed = False
    for opcode, a1, a2, b1, b2 in matcher.get_opcodes():
        old_part = escape("".join(old_tokens[a1:a2]))
        new_part = escape("".join(new_tokens[b1:b2]))
        if opcode == "equal":
            left.append(old_part)
            right.append(new_part)
            continue
        changed = True
        if old_part:
            left.append(
                f'<del><span class="visually-hidden">{removed_label} </span>{old_part}'
                f'<span class="visually-hidden"> {end_label}</span></del>'
            )
        if new_part:
            right.append(
                f'<ins><span class="visually-hidden">{added_label} </span>{new_part}'
                f'<span class="visually-hidden"> {end_label}</span></ins>'
            )
    return mark_safe("".join(left)), mark_safe("".join(right)), changed  # noqa: S308
