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


# A word with the whitespace after it; leading whitespace is a token of its own.
_TOKEN = re.compile(r"\s+|\S+\s*", re.UNICODE)
# Above this many token pairs a changed block is marked as a whole instead of word by word:
# difflib's matcher grows with the product of the lengths, and a page must stay quick.
WORD_DIFF_MAX_PAIRS = 2_000_000


def _tokens(text: str) -> list[str]:
    return _TOKEN.findall(text or "")


class _Marker:
    def __init__(self) -> None:
        self.left: list[str] = []
        self.right: list[str] = []
        self.changed = False
        self.removed = escape(_("verwijderd:"))
        self.added = escape(_("toegevoegd:"))
        self.end = escape(_("einde wijziging"))

    def same(self, old: str, new: str) -> None:
        self.left.append(escape(old))
        self.right.append(escape(new))

    def removed_text(self, text: str) -> None:
        if text:
            self.changed = True
            self.left.append(
                f'<del><span class="visually-hidden">{self.removed} </span>{escape(text)}'
                f'<span class="visually-hidden"> {self.end}</span></del>'
            )

    def added_text(self, text: str) -> None:
        if text:
            self.changed = True
            self.right.append(
                f'<ins><span class="visually-hidden">{self.added} </span>{escape(text)}'
                f'<span class="visually-hidden"> {self.end}</span></ins>'
            )

    def words(self, old: str, new: str) -> None:
        old_tokens, new_tokens = _tokens(old), _tokens(new)
        if len(old_tokens) * len(new_tokens) > WORD_DIFF_MAX_PAIRS:
            self.removed_text(old)
            self.added_text(new)
            return
        matcher = difflib.SequenceMatcher(a=old_tokens, b=new_tokens, autojunk=False)
        for opcode, a1, a2, b1, b2 in matcher.get_opcodes():
            old_part, new_part = "".join(old_tokens[a1:a2]), "".join(new_tokens[b1:b2])
            if opcode == "equal":
                self.same(old_part, new_part)
            else:
                self.removed_text(old_part)
                self.added_text(new_part)


def diff_texts(old: str, new: str) -> tuple[SafeString, SafeString, bool]:
    """The difference as two HTML fragments (old with <del>, new with <ins>), and whether any.

    Lines are compared first; only lines that changed are compared word by word, so the cost
    follows the size of the change rather than the size of the text. Each marked change carries
    a visually hidden label, so screen readers announce it too (not every one reads <del> and
    <ins> out by itself).
    """
    old_lines = (old or "").splitlines(keepends=True)
    new_lines = (new or "").splitlines(keepends=True)
    marker = _Marker()
    matcher = difflib.SequenceMatcher(a=old_lines, b=new_lines, autojunk=False)
    for opcode, a1, a2, b1, b2 in matcher.get_opcodes():
        old_part, new_part = "".join(old_lines[a1:a2]), "".join(new_lines[b1:b2])
        if opcode == "equal":
            marker.same(old_part, new_part)
        elif opcode == "replace" and a2 - a1 == b2 - b1:
            # Lines edited in place: compare them pair by pair, which stays cheap.
            for old_line, new_line in zip(old_lines[a1:a2], new_lines[b1:b2], strict=True):
                marker.words(old_line, new_line)
        else:
            marker.words(old_part, new_part)
    return (
        mark_safe("".join(marker.left)),  # noqa: S308  (every piece is escaped above)
        mark_safe("".join(marker.right)),  # noqa: S308
        marker.changed,
    )
