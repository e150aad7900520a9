"""The access matrix in the README, generated from the access table the tests check.

    python -m tests.access_matrix        # rewrite the section in README.md
A test fails when README.md's section differs from what this prints.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

README = Path(__file__).resolve().parent.parent / "README.md"
START = "<!-- access-matrix:start -->"
END = "<!-- access-matrix:end -->"
COLUMNS = [
    ("anonymous", "anoniem"),
    ("member", "lid"),
    ("consultant", "consulent"),
    ("adviser", "trajectadviseur"),
    ("regional_official", "regiobestuurder"),
    ("coordinator", "regiocoördinator"),
    ("sector_official", "sectorbestuurder"),
    ("legal", "juridisch"),
    ("admin", "beheerder"),
]


def render_matrix() -> str:
    from django.urls import get_resolver

    from tests.access_table import ACCESS_TABLE
    from tests.test_access import _walk

    routes: dict[str, str] = {}
    for namespace, name, route in _walk(get_resolver().url_patterns):
        if name and name not in routes:
            routes[name] = "/" + route
        if namespace and namespace not in routes:
            routes[namespace] = "/" + route.split("/")[0] + "/…"
    lines = [
        "| URL | path | " + " | ".join(label for _, label in COLUMNS) + " |",
        "| --- | --- | " + " | ".join("---" for _ in COLUMNS) + " |",
    ]
    for row in ACCESS_TABLE:
        path = (
            re.sub(r"\(\?P<(\w+)>[^)]*\)", r"<\1>", routes.get(row.name, ""))
            .replace("^", "")
            .replace("$", "")
        )
        name = row.name + (f" ({row.label})" if row.label else "")
        cells = ["✓" if role in row.allowed else "·" for role, _ in COLUMNS]
        lines.append(f"| `{name}` | `{path}` | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def readme_section() -> str:
    text = README.read_text("utf-8")
    return text.split(START, 1)[1].split(END, 1)[0].strip()


def main() -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fnvregio.settings")
    os.environ.setdefault("DJANGO_DEBUG", "1")
    django.setup()
    text = README.read_text("utf-8")
    before, rest = text.split(START, 1)
    _, after = rest.split(END, 1)
    README.write_text(f"{before}{START}\n{render_matrix()}\n{END}{after}", "utf-8")
    print("README.md: access matrix updated", file=sys.stderr)


if __name__ == "__main__":
    main()
