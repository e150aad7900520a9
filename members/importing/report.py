"""The import's report in Dutch (command line and portal) and its rejected rows as CSV."""

from __future__ import annotations

from collections.abc import Iterator

from members.exporting import csv_line
from members.models import ImportMode, ImportStatus, MemberImport


def report_lines(member_import: MemberImport) -> list[str]:
    """The report in Dutch, the same for the command line and the portal."""
    lines = [
        f"Bestand: {member_import.file_name} ({member_import.file_format or 'onbekend formaat'})",
        f"SHA-256: {member_import.file_sha256}",
        f"Manier: {member_import.get_mode_display()}{' (proefdraai)' if member_import.dry_run else ''}",
        f"Status: {member_import.get_status_display()}",
    ]
    if member_import.message:
        lines.append(f"Melding: {member_import.message}")
    lines.append(f"Rijen in bestand: {member_import.rows_total}")
    lines.append(f"Afgewezen: {member_import.rejected}")
    if member_import.skipped_erased:
        lines.append(f"Overgeslagen (gewiste leden): {member_import.skipped_erased}")
    if member_import.status == ImportStatus.DONE:
        lines += [
            f"Nieuw: {member_import.created}",
            f"Gewijzigd: {member_import.updated}",
            f"Ongewijzigd: {member_import.unchanged}",
        ]
        if member_import.mode == ImportMode.SNAPSHOT:
            lines.append(f"Beëindigd (niet in bestand): {member_import.ended}")
        if member_import.employers_created:
            lines.append(f"Nieuwe werkgevers: {member_import.employers_created}")
    elif member_import.status == ImportStatus.PREVIEWED:
        lines += [
            f"Zou nieuw zijn: {member_import.to_create}",
            f"Zou wijzigen: {member_import.to_update}",
            f"Zou ongewijzigd blijven: {member_import.unchanged_preview}",
        ]
        if member_import.mode == ImportMode.SNAPSHOT:
            lines.append(f"Zou beëindigd worden (niet in bestand): {member_import.to_end}")
    for error in member_import.errors.all()[:20]:
        lines.append(
            f"  regel {error.line}{' · ' + error.column if error.column else ''}: {error.message}"
        )
    if member_import.rejected > 20:
        lines.append("  … (alle afgewezen rijen staan in het CSV-rapport)")
    return lines


def rejected_rows_csv(member_import: MemberImport) -> Iterator[str]:
    """The rejected rows as CSV for Dutch Excel: line number, column, reason."""
    yield "\ufeff" + csv_line(["regel", "kolom", "reden"])
    for line, column, message in (
        member_import.errors.order_by("line", "id")
        .values_list("line", "column", "message")
        .iterator(chunk_size=5000)
    ):
        yield csv_line([str(line), column, message])
