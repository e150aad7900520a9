"""Helpers for the import tests: write a file, run the import the way the background path does."""

from __future__ import annotations

from pathlib import Path

from members.importing import apply_import, validate_import
from members.models import ImportMode, ImportStatus, MemberImport

SAMPLES = Path(__file__).resolve().parents[2] / "members" / "samples"


def write(tmp_path, content: str | bytes, name: str = "leden.csv", encoding: str = "utf-8") -> str:
    path = tmp_path / name
    path.write_bytes(content.encode(encoding) if isinstance(content, str) else content)
    return str(path)


def run_import(path: str, *, mode: str = ImportMode.STRICT, apply: bool = True) -> MemberImport:
    member_import = MemberImport.objects.create(
        file_name=Path(path).name, file_path=path, mode=mode, source="command"
    )
    member_import = validate_import(member_import)
    if apply and member_import.status == ImportStatus.PREVIEWED:
        member_import = apply_import(member_import)
    return member_import


def messages(member_import: MemberImport) -> list[str]:
    return [f"{e.line}|{e.column}|{e.message}" for e in member_import.errors.all()]
