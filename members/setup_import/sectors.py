"""The sectors list from a file: one column `sector` (or `naam`), one sector per row.

A sector in the file that the portal does not have is added; one that differs only in case or
accents gets the file's spelling; sectors missing from the file are counted and kept (members,
employers and officials refer to them). A file with any bad row imports nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction

from audit.models import AuditAction
from audit.services import audit_log
from members.models import Sector, User
from members.setup_import.table import (
    RowError,
    SetupColumn,
    SetupTable,
    plain,
    read_setup_file,
    text_error,
)

WHAT = "sectorenlijst"
COLUMNS = [SetupColumn("sector", "name", required=True, aliases=("naam", "sectornaam"))]
NAME_MAX = 100


@dataclass(frozen=True)
class SectorRow:
    line: int
    name: str


@dataclass
class SectorCheck:
    rows: list[SectorRow]
    errors: list[RowError]
    label: str = ""
    total: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class SectorPlan:
    new: list[SectorRow] = field(default_factory=list)
    renamed: list[tuple[Sector, SectorRow]] = field(default_factory=list)
    unchanged: list[SectorRow] = field(default_factory=list)
    missing: list[Sector] = field(default_factory=list)


def read_sector_file(path: str) -> SectorCheck:
    return check_sector_table(read_setup_file(path, COLUMNS, what=WHAT))


def check_sector_table(table: SetupTable) -> SectorCheck:
    check = SectorCheck(rows=[], errors=list(table.extra), label=table.label, total=len(table.rows))
    lines: dict[str, list[int]] = {}
    for line, values in table.rows:
        name = " ".join(values.get("name", "").split())
        if not name:
            check.errors.append(RowError(line, "sector", "vul de naam van de sector in."))
            continue
        if problem := text_error(name, max_length=NAME_MAX):
            check.errors.append(RowError(line, "sector", problem))
            continue
        check.rows.append(SectorRow(line, name))
        lines.setdefault(plain(name), []).append(line)
    for same in lines.values():
        for line in same if len(same) > 1 else []:
            others = ", ".join(str(other) for other in same if other != line)
            check.errors.append(
                RowError(
                    line, "sector", f"deze sector staat ook op regel {others}; laat er één staan."
                )
            )
    bad = {error.line for error in check.errors}
    check.rows = [row for row in check.rows if row.line not in bad]
    check.errors.sort(key=lambda error: (error.line, error.column))
    return check


def plan_sectors(check: SectorCheck) -> SectorPlan:
    plan = SectorPlan()
    existing = {plain(sector.name): sector for sector in Sector.objects.order_by("name")}
    in_file = set()
    for row in check.rows:
        key = plain(row.name)
        in_file.add(key)
        sector = existing.get(key)
        if sector is None:
            plan.new.append(row)
        elif sector.name != row.name:
            plan.renamed.append((sector, row))
        else:
            plan.unchanged.append(row)
    plan.missing = [sector for key, sector in existing.items() if key not in in_file]
    return plan


def save_row(row: SectorRow, sector: Sector | None, *, by: User | None) -> Sector:
    if sector is None:
        sector = Sector.objects.create(name=row.name)
        audit_log(user=by, action=AuditAction.CREATE, obj=sector, detail="sector via import")
        return sector
    if sector.name != row.name:
        old = sector.name
        sector.name = row.name
        sector.save(update_fields=["name"])
        audit_log(
            user=by,
            action=AuditAction.CHANGE,
            obj=sector,
            detail=f"sector via import: naam was {old}"[:200],
        )
    return sector


def apply_sectors(check: SectorCheck, *, by: User | None) -> SectorPlan:
    if not check.ok:
        raise ValueError("A sectors file with errors is not applied.")
    with transaction.atomic():
        plan = plan_sectors(check)
        for row in plan.new:
            save_row(row, None, by=by)
        for sector, row in plan.renamed:
            save_row(row, sector, by=by)
    return plan
