"""What the set-up commands print: the file, the counts, the rows with errors."""

from __future__ import annotations

from collections.abc import Sequence

from members.setup_import.table import RowError

SHOWN_ERRORS = 200


def error_lines(errors: Sequence[RowError]) -> list[str]:
    lines = [str(error) for error in errors[:SHOWN_ERRORS]]
    if len(errors) > SHOWN_ERRORS:
        lines.append(f"… en nog {len(errors) - SHOWN_ERRORS} fout(en).")
    return lines


def refused_message(count: int) -> str:
    return (
        f"Niets geïmporteerd: het bestand heeft {count} fout(en). Verbeter de genoemde regels "
        "en importeer het bestand opnieuw; een bestand met fouten verandert niets."
    )


def count_lines(counts: Sequence[tuple[str, int]]) -> list[str]:
    width = max(len(label) for label, _count in counts)
    return [f"  {label.ljust(width)}  {count}" for label, count in counts]
