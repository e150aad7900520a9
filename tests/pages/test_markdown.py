"""The one Markdown sanitiser (core/markdown.py): hostile Markdown never becomes live HTML."""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest

from core.markdown import ALLOWED_TAGS, render_markdown

HOSTILE = [
    "<script>alert(1)</script>",
    '<img src="https://elders.example/volg.png" onerror="alert(1)">',
    "![pixel](https://elders.example/volg.png)",
    "![pixel][ref]\n\n[ref]: https://elders.example/volg.png",
    "[klik](javascript:alert(1))",
    "[klik](JaVaScRiPt:alert(1))",
    "[klik](  javascript:alert(1))",
    "[klik](data:text/html;base64,PHNjcmlwdD4=)",
    "[klik](vbscript:msgbox(1))",
    "<a href='javascript:alert(1)'>klik</a>",
    '<iframe src="https://elders.example/"></iframe>',
    '<p style="background:url(https://elders.example/x)">tekst</p>',
    "<svg onload=alert(1)>",
    '[klik](https://fnv.nl "titel" onclick="alert(1)")',
    "<https://elders.example/> en <javascript:alert(1)>",
]


class _Elements(HTMLParser):
    """The elements and attributes a browser would build from the HTML."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.found: list[tuple[str, dict[str, str | None]]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))


@pytest.mark.parametrize("source", HOSTILE)
def test_hostile_markdown_renders_without_script_images_or_raw_html(source):
    html = render_markdown(source, top_heading=2)
    for tag, attributes in _Elements(html).found:
        assert tag in ALLOWED_TAGS, (source, html)
        assert tag not in {"script", "img", "iframe", "svg", "style"}
        for name, value in attributes.items():
            assert not name.startswith("on") and name != "style", (source, html)
            if name == "href":
                scheme = urlsplit((value or "").strip()).scheme.lower()
                assert scheme in {"", "http", "https", "mailto"}, (source, html)


def test_raw_html_is_shown_as_text():
    html = render_markdown("Hallo <b>vet</b> <script>x</script>", top_heading=2)
    assert "&lt;script&gt;" in html and "<b>" not in html


def test_an_image_from_elsewhere_is_never_loaded():
    html = render_markdown("Kijk: ![logo](https://elders.example/logo.png)", top_heading=2)
    assert "<img" not in html and "src=" not in html


def test_safe_links_keep_working_and_are_marked_nofollow():
    html = render_markdown(
        "[spreekuur](/informatie/spreekuren-werk-en-inkomen/), "
        "[FNV](https://www.fnv.nl) en [mail](mailto:info@example.nl)",
        top_heading=2,
    )
    assert 'href="/informatie/spreekuren-werk-en-inkomen/"' in html
    assert 'href="https://www.fnv.nl"' in html and 'href="mailto:info@example.nl"' in html
    assert 'rel="noopener noreferrer nofollow"' in html


def test_headings_start_at_the_level_the_page_allows():
    page = render_markdown("# Een\n\n## Twee\n\n### Drie", top_heading=2)
    assert "<h1>" not in page and page.count("<h2>") == 2 and "<h3>Drie</h3>" in page
    section = render_markdown("# Een\n\n## Twee\n\n#### Vier", top_heading=3)
    assert "<h2>" not in section and section.count("<h3>") == 2 and "<h4>Vier</h4>" in section


def test_the_plans_render_as_before():
    from plans.rendering import render_markdown as plans_render

    assert plans_render("## Kop\n\n**vet**") == "<h3>Kop</h3>\n<p><strong>vet</strong></p>"
