"""Markdown is rendered safely: no raw HTML, no script, no javascript: links."""

from __future__ import annotations

from django.urls import reverse

from plans.rendering import render_markdown
from tests.conftest import login


def test_it_renders_markdown():
    html = render_markdown("## Kop\n\n- **vet** en *schuin*\n- [FNV](https://www.fnv.nl)")
    assert "<h3>Kop</h3>" in html
    assert "<strong>vet</strong>" in html and "<em>schuin</em>" in html
    assert 'href="https://www.fnv.nl"' in html and 'rel="noopener noreferrer nofollow"' in html


def test_raw_html_is_shown_as_text_never_as_html():
    html = render_markdown(
        "<script>alert(1)</script>\n\nTekst <img src=x onerror=alert(1)> en <b>vet</b>"
    )
    assert "<script" not in html and "<img" not in html and "<b>" not in html
    assert "&lt;script&gt;" in html


def test_dangerous_links_are_removed():
    html = render_markdown("[klik](javascript:alert(1)) en [data](data:text/html;base64,AAAA)")
    assert "javascript:" not in html and "data:text" not in html


def test_tables_are_kept():
    html = render_markdown("| Fonds | Bedrag |\n| --- | --- |\n| ESF | 10 |")
    assert "<table>" in html and "<td>ESF</td>" in html


def test_the_preview_renders_one_section_safely(cast, client):
    login(client, cast.regional_official)
    response = client.post(
        reverse("plans:preview"), {"section": "context", "context": "**Krapte** <script>x</script>"}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "<strong>Krapte</strong>" in body and "<script>" not in body


def test_the_preview_refuses_an_unknown_section(cast, client):
    login(client, cast.regional_official)
    assert client.post(reverse("plans:preview"), {"section": "evil"}).status_code == 400


def test_the_preview_is_only_for_regional_officials(cast, client):
    login(client, cast.coordinator)
    assert client.post(reverse("plans:preview"), {"section": "context"}).status_code == 404
