"""Icons next to their text: `{% icon "calendar" %}` draws an inline SVG.

The text beside the icon carries the meaning: the icon is hidden from screen readers and never
a tab stop. Own drawings on a 24 px grid, stroked with the text colour (site.css `.icon`).
A template tag rather than an include with a branch per icon: the header draws six on every
page, and the include doubled the time to render base.html (bench/pages.py).
"""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

OPEN = '<svg class="icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">'

PATHS: dict[str, str] = {
    "home": '<path d="M3 11 12 3l9 8"/><path d="M5 10v10h5v-6h4v6h5V10"/>',
    "map": '<path d="M12 21s-7-6.2-7-11.5A7 7 0 0 1 19 9.5C19 14.8 12 21 12 21z"/><circle cx="12" cy="9.5" r="2.5"/>',
    "calendar": '<rect x="3" y="5" width="18" height="16" rx="2"/><path d="M3 10h18M8 3v4M16 3v4"/>',
    "user": '<circle cx="12" cy="8" r="4"/><path d="M4 21c0-4.4 3.6-7 8-7s8 2.6 8 7"/>',
    "lock": '<rect x="4" y="10" width="16" height="11" rx="2"/><path d="M8 10V7a4 4 0 0 1 8 0v3"/>',
    "logout": '<path d="M10 4H5v16h5"/><path d="M14 8l4 4-4 4M18 12H9"/>',
    "login": '<path d="M14 4h5v16h-5"/><path d="M9 8l4 4-4 4M13 12H4"/>',
    "cog": '<circle cx="12" cy="12" r="3"/><path d="M12 2v3M12 19v3M2 12h3M19 12h3M4.9 4.9l2.1 2.1M17 17l2.1 2.1M4.9 19.1 7 17M17 7l2.1-2.1"/>',
    "globe": '<circle cx="12" cy="12" r="9"/><path d="M3 12h18M12 3c2.5 2.7 3.8 5.7 3.8 9s-1.3 6.3-3.8 9c-2.5-2.7-3.8-5.7-3.8-9S9.5 5.7 12 3z"/>',
    "check": '<path d="M4 12.5 9.5 18 20 6"/>',
    "alert": '<path d="M12 3 2 20h20L12 3z"/><path d="M12 10v4M12 17v.5"/>',
    "info": '<circle cx="12" cy="12" r="9"/><path d="M12 11v6M12 7.5v.5"/>',
    "arrow": '<path d="M4 12h15M13 6l6 6-6 6"/>',
    "back": '<path d="M20 12H5M11 6l-6 6 6 6"/>',
    "print": '<path d="M6 9V3h12v6"/><rect x="3" y="9" width="18" height="8" rx="1"/><path d="M6 14h12v7H6z"/>',
    "download": '<path d="M12 3v12M7 10l5 5 5-5M4 20h16"/>',
    "search": '<circle cx="10.5" cy="10.5" r="6.5"/><path d="M15.5 15.5 21 21"/>',
    "plus": '<path d="M12 5v14M5 12h14"/>',
    "edit": '<path d="M4 20h4L19 9l-4-4L4 16v4z"/><path d="M13 7l4 4"/>',
    "chat": '<path d="M4 5h16v11H9l-5 4V5z"/>',
}
DEFAULT = '<circle cx="12" cy="12" r="3"/>'

_DRAWN: dict[str, SafeString] = {
    name: mark_safe(OPEN + path + "</svg>")  # noqa: S308 (constants)
    for name, path in (*PATHS.items(), ("", DEFAULT))
}


@register.simple_tag
def icon(name: str) -> SafeString:
    return _DRAWN.get(name, _DRAWN[""])
