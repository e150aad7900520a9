"""Demo data: the shipped example file, whose every row says it is an example ("VOORBEELD, geen
echte cijfers"), so the demo's dashboards show labour-market figures that say they are not real."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from labourmarket.parsing import check_file
from labourmarket.services import import_figures

EXAMPLE = Path(__file__).resolve().parent / "samples" / "example-labour-market.csv"


def seed(*, rng: Any, fake: Any) -> None:
    source = "VOORBEELD-bestand FNV Regio"
    checked = check_file(str(EXAMPLE), source=source)
    if checked.ok:
        import_figures(user=None, checked=checked, filename=EXAMPLE.name, source=source)
