"""Markdown to safe HTML: the one sanitiser for text that people with an account write and
others read (the regioplannen, the public information pages).

Markdown is rendered with Python-Markdown's raw-HTML handling switched off (so `<script>` in
the source is shown as text), and the result is cleaned once more with nh3 against a short list
of tags and attributes: no raw HTML, no images (so nothing is loaded from elsewhere), and links
only to http(s), mailto or a path on this site, whatever the author typed.
"""

from __future__ import annotations

import re

import markdown
import nh3
from django.utils.safestring import SafeString, mark_safe

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

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802  (Python-Markdown's hook name)
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")


def render_markdown(text: str, *, top_heading: int = 3) -> SafeString:
    """Render Markdown to HTML that is safe to put on a page.

    `top_heading` is the highest heading level the text may use, so that the page keeps one
    h1 and its own order: a heading written above it (`#`, `##` for 3) becomes that level.
    """
    if not text:
        return mark_safe("")
    html = markdown.markdown(
        text,
        extensions=[_NoRawHtml(), "tables", "sane_lists"],
        output_format="html",
    )
    for level in range(1, top_heading):
        html = re.sub(rf"<(/?)h{level}>", rf"<\1h{top_heading}>", html)
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    )
    return mark_safe(cleaned)  # noqa: S308  (nh3 output with a fixed allow-list)
