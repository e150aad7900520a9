"""The design tokens in static/css/site.css meet WCAG 2.1 AA contrast (docs/DESIGN.md).

Pure Python: the colours are read from the stylesheet's :root block and the contrast ratio is
computed as WCAG 2.1 defines it (relative luminance of sRGB). Someone who picks a lighter red
for the buttons, or a paler grey for the borders of inputs, gets a failing test that names the
pair and what it is used for.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

CSS = Path(__file__).resolve().parent.parent / "static" / "css" / "site.css"

TEXT = 4.5  # 1.4.3 Contrast (Minimum), normal text
UI = 3.0  # 1.4.11 Non-text Contrast: borders of controls, focus rings

# (foreground, background, minimum, where the pair is used)
PAIRS = [
    ("--on-brand", "--fnv-brand", TEXT, "header text and primary buttons on FNV red"),
    ("--on-brand", "--fnv-red-hover", TEXT, "primary button, hovered"),
    ("--fnv-red", "--paper", TEXT, "red text, secondary buttons, error lists"),
    ("--fnv-red", "--soft", TEXT, "red text on a quiet surface (tiles on hover)"),
    ("--fnv-red", "--fnv-red-tint", TEXT, "attention badges, error messages"),
    ("--fnv-red-hover", "--fnv-red-tint", TEXT, "secondary button, hovered"),
    ("--ink", "--paper", TEXT, "body text"),
    ("--ink", "--soft", TEXT, "table heads"),
    ("--ink", "--neutral-tint", TEXT, "tags"),
    ("--muted", "--paper", TEXT, "secondary text"),
    ("--muted", "--soft", TEXT, "secondary text on a quiet surface"),
    ("--link", "--paper", TEXT, "links"),
    ("--link", "--soft", TEXT, "links on a quiet surface"),
    ("--ok", "--ok-tint", TEXT, "badges: done, approved"),
    ("--ok", "--paper", TEXT, "ok text"),
    ("--warn", "--warn-tint", TEXT, "badges: waiting, changes requested"),
    ("--warn", "--paper", TEXT, "warning text"),
    ("--info", "--info-tint", TEXT, "badges: in progress"),
    ("--neutral", "--neutral-tint", TEXT, "badges: draft, cancelled"),
    ("--danger", "--paper", TEXT, "danger (outline) buttons"),
    ("--danger", "--fnv-red-tint", TEXT, "danger buttons, hovered"),
    ("--footer-ink", "--footer-bg", TEXT, "footer text"),
    ("--line", "--paper", UI, "borders of inputs, selects and cards on a phone"),
    ("--line", "--soft", UI, "borders of controls on a quiet surface"),
    ("--focus", "--paper", UI, "focus ring"),
    ("--on-brand", "--fnv-brand", UI, "focus ring in the red header"),
    ("--fnv-red", "--paper", UI, "the current step's border"),
]


def tokens() -> dict[str, str]:
    root = re.search(r":root\s*\{(.*?)\}", CSS.read_text(), re.S)
    assert root, "site.css has no :root block with the design tokens"
    return {
        name: value.lower()
        for name, value in re.findall(r"(--[\w-]+)\s*:\s*(#[0-9a-fA-F]{6})\b", root.group(1))
    }


def luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_the_formula_gives_the_known_ratios():
    assert contrast("#ffffff", "#000000") == pytest.approx(21.0)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)
    assert contrast("#e3001b", "#ffffff") == pytest.approx(4.90, abs=0.01)


def test_the_fnv_red_is_the_house_red():
    assert tokens()["--fnv-brand"] == "#e3001b"


@pytest.mark.parametrize(("foreground", "background", "minimum", "use"), PAIRS)
def test_token_pairs_meet_wcag_aa(foreground, background, minimum, use):
    colours = tokens()
    ratio = contrast(colours[foreground], colours[background])
    assert ratio >= minimum, (
        f"{use}: {foreground} {colours[foreground]} on {background} {colours[background]} "
        f"is {ratio:.2f}:1, needs {minimum}:1"
    )


def test_colours_outside_the_tokens_are_few():
    """Components take their colours from the tokens; a hex colour outside :root is the
    exception (the map's shades), so that a change of a token reaches every component."""
    css = CSS.read_text()
    outside = re.sub(r":root\s*\{.*?\}", "", css, count=1, flags=re.S)
    loose = re.findall(r"#[0-9a-fA-F]{3,6}\b", outside)
    assert len(loose) <= 12, loose
