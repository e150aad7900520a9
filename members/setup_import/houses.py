"""Union houses with their hours from a file; one house per row, known by its name.

Columns (docs/setting-up-a-region.md): naam, plaats, gemeente (required; the region follows
from the municipality, a name such as Utrecht or a CBS code such as GM0344); straat,
huisnummer, postcode, telefoon, e-mailadres, toegankelijkheid, route, openbaar (ja/nee); and
the week notation of regions/hours.py for openingstijden, spreekuren werk en inkomen and
loopbaanspreekuren ("ma 09:00-17:00; wo 13:00-17:00"). A column absent from the file leaves
that part of an existing house as it is; an empty hours cell means no hours of that kind.
Houses missing from the file are counted and kept. A file with any bad row imports nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from audit.models import AuditAction
from audit.services import audit_log
from members.models import User, normalise_postcode
from members.setup_import.table import (
    RowError,
    SetupColumn,
    SetupTable,
    plain,
    read_setup_file,
    text_error,
    yes_no,
)
from regions.hours import Period, parse_week
from regions.models import (
    ConsultationHours,
    HoursKind,
    Municipality,
    OpeningHours,
    UnionHouse,
)

WHAT = "bestand met vakbondshuizen"
COLUMNS = [
    SetupColumn("naam", "name", required=True, aliases=("vakbondshuis",)),
    SetupColumn("straat", "street"),
    SetupColumn("huisnummer", "house_number"),
    SetupColumn("postcode", "postcode"),
    SetupColumn("plaats", "city", required=True, aliases=("woonplaats",)),
    SetupColumn("gemeente", "municipality", required=True),
    SetupColumn("telefoon", "phone", aliases=("telefoonnummer",)),
    SetupColumn("e-mailadres", "email", aliases=("e-mail", "email")),
    SetupColumn("toegankelijkheid", "accessibility"),
    SetupColumn("route", "directions"),
    SetupColumn("openbaar", "is_public"),
    SetupColumn("openingstijden", "opening", aliases=("open",)),
    SetupColumn(
        "spreekuren werk en inkomen",
        "work_income",
        aliases=("spreekuren werk & inkomen", "spreekuur werk en inkomen"),
    ),
    SetupColumn("loopbaanspreekuren", "career", aliases=("loopbaanspreekuur",)),
]
HEADER = {column.key: column.header for column in COLUMNS}
TEXT = {  # key → max length ("" for the model's text fields, bounded here)
    "name": 120,
    "street": 120,
    "house_number": 20,
    "city": 80,
    "phone": 30,
    "accessibility": 2000,
    "directions": 2000,
}
HOURS: dict[str, str] = {
    "opening": "",
    "work_income": HoursKind.WORK_INCOME,
    "career": HoursKind.CAREER,
}
FIELD_LABEL = {  # model field → the column's name, for "gewijzigd: … (plaats, telefoon)"
    **HEADER,
    "municipality_id": "gemeente",
}
HOURS_LABEL = {
    "opening": "openingstijden",
    "work_income": "spreekuren werk en inkomen",
    "career": "loopbaanspreekuren",
}


@dataclass(frozen=True)
class HouseRow:
    line: int
    name: str
    values: tuple[tuple[str, Any], ...]  # (model field, value) for the columns in the file
    hours: tuple[tuple[str, tuple[Period, ...]], ...]  # (key of HOURS, periods)


@dataclass
class HouseCheck:
    rows: list[HouseRow]
    errors: list[RowError]
    label: str = ""
    total: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class HouseChange:
    house: UnionHouse
    row: HouseRow
    changes: list[str]


@dataclass
class HousePlan:
    new: list[HouseRow] = field(default_factory=list)
    changed: list[HouseChange] = field(default_factory=list)
    unchanged: list[HouseRow] = field(default_factory=list)
    missing: list[UnionHouse] = field(default_factory=list)


def read_house_file(path: str) -> HouseCheck:
    return check_house_table(read_setup_file(path, COLUMNS, what=WHAT))


def _municipalities() -> dict[str, int]:
    known: dict[str, int] = {}
    for pk, code, name in Municipality.objects.values_list("pk", "code", "name"):
        known[plain(code)] = pk
        known.setdefault(plain(name), pk)
    return known


def check_house_table(table: SetupTable) -> HouseCheck:
    check = HouseCheck(rows=[], errors=list(table.extra), label=table.label, total=len(table.rows))
    municipalities = _municipalities()
    lines: dict[str, list[int]] = {}
    for line, values in table.rows:
        row, errors = _check_row(line, values, municipalities)
        check.errors.extend(errors)
        if row is not None:
            check.rows.append(row)
        if values.get("name"):
            lines.setdefault(plain(values["name"]), []).append(line)
    for same in lines.values():
        for line in same if len(same) > 1 else []:
            others = ", ".join(str(other) for other in same if other != line)
            check.errors.append(
                RowError(
                    line,
                    HEADER["name"],
                    f"dit vakbondshuis staat ook op regel {others}; voeg de regels samen.",
                )
            )
    bad = {error.line for error in check.errors}
    check.rows = [row for row in check.rows if row.line not in bad]
    check.errors.sort(key=lambda error: (error.line, error.column))
    return check


def _check_row(
    line: int, values: dict[str, str], municipalities: dict[str, int]
) -> tuple[HouseRow | None, list[RowError]]:
    errors: list[RowError] = []
    fields: list[tuple[str, Any]] = []

    def error(key: str, message: str) -> None:
        errors.append(RowError(line, HEADER[key], message))

    for key, max_length in TEXT.items():
        if key not in values:
            continue
        value = values[key]
        if key in ("name", "city") and not value:
            error(key, f"vul de {HEADER[key]} van het vakbondshuis in.")
        elif problem := _text_problem(value, key, max_length):
            error(key, problem)
        else:
            fields.append((key, value))
    if "postcode" in values:
        try:
            fields.append(("postcode", normalise_postcode(values["postcode"])))
        except ValidationError:
            error("postcode", f"‘{_quoted(values['postcode'])}’ is geen postcode; schrijf 1234 AB.")
    if "email" in values:
        email = values["email"].strip().lower()
        if email and (len(email) > 254 or not _valid_email(email)):
            error("email", f"‘{_quoted(email)}’ is geen geldig e-mailadres.")
        else:
            fields.append(("email", email))
    municipality = values.get("municipality", "")
    if not municipality:
        error(
            "municipality",
            "vul de gemeente in (naam of CBS-code zoals GM0344); de regio volgt eruit.",
        )
    elif (pk := municipalities.get(plain(municipality))) is None:
        error(
            "municipality",
            f"onbekende gemeente ‘{_quoted(municipality)}’. Gebruik de naam (zoals Utrecht) of "
            "de CBS-code (zoals GM0344).",
        )
    else:
        fields.append(("municipality_id", pk))
    if "is_public" in values:
        public = yes_no(values["is_public"]) if values["is_public"] else True
        if public is None:
            error("is_public", f"‘{_quoted(values['is_public'])}’ is geen ja of nee (leeg is ja).")
        else:
            fields.append(("is_public", public))
    hours: list[tuple[str, tuple[Period, ...]]] = []
    for key in HOURS:
        if key not in values:
            continue
        try:
            hours.append((key, tuple(parse_week(values[key]))))
        except ValidationError as problem:
            error(key, " ".join(problem.messages))
    if errors:
        return None, errors
    return HouseRow(line, values["name"], tuple(fields), tuple(hours)), []


def _text_problem(value: str, key: str, max_length: int) -> str:
    if key in ("accessibility", "directions"):  # several lines are fine in these two
        value = value.replace("\n", " ").replace("\r", " ")
    return text_error(value, max_length=max_length)


def _valid_email(email: str) -> bool:
    try:
        validate_email(email)
    except ValidationError:
        return False
    return True


def _quoted(value: str) -> str:
    text = " ".join(value.split())
    return text if len(text) <= 60 else text[:57] + "…"


# --- Planning and applying ------------------------------------------------------------------


def _current_hours(house: UnionHouse, key: str) -> tuple[Period, ...]:
    if key == "opening":
        rows = house.opening_hours.all()
        return tuple(sorted((r.weekday, r.opens, r.closes) for r in rows))
    kind = HOURS[key]
    return tuple(
        sorted(
            (r.weekday, r.starts, r.ends) for r in house.consultation_hours.all() if r.kind == kind
        )
    )


def _changes(house: UnionHouse, row: HouseRow) -> list[str]:
    changes = [
        FIELD_LABEL.get(name, name) for name, value in row.values if getattr(house, name) != value
    ]
    changes += [
        HOURS_LABEL[key] for key, periods in row.hours if _current_hours(house, key) != periods
    ]
    return changes


def plan_houses(check: HouseCheck) -> HousePlan:
    plan = HousePlan()
    houses = {
        plain(house.name): house
        for house in UnionHouse.objects.prefetch_related("opening_hours", "consultation_hours")
    }
    in_file = set()
    for row in check.rows:
        key = plain(row.name)
        in_file.add(key)
        house = houses.get(key)
        if house is None:
            plan.new.append(row)
        elif changes := _changes(house, row):
            plan.changed.append(HouseChange(house, row, changes))
        else:
            plan.unchanged.append(row)
    plan.missing = [house for key, house in sorted(houses.items()) if key not in in_file]
    return plan


def save_row(row: HouseRow, house: UnionHouse | None, *, by: User | None) -> UnionHouse:
    created = house is None
    if house is None:
        house = UnionHouse()
        changes: list[str] = []
    else:
        changes = _changes(house, row)
        if not changes:
            return house
    for name, value in row.values:
        setattr(house, name, value)
    house.save()
    for key, periods in row.hours:
        if not created and _current_hours(house, key) == periods:
            continue
        if key == "opening":
            house.opening_hours.all().delete()
            OpeningHours.objects.bulk_create(
                OpeningHours(house=house, weekday=day, opens=starts, closes=ends)
                for day, starts, ends in periods
            )
        else:
            kind = HOURS[key]
            house.consultation_hours.filter(kind=kind).delete()
            ConsultationHours.objects.bulk_create(
                ConsultationHours(house=house, kind=kind, weekday=day, starts=starts, ends=ends)
                for day, starts, ends in periods
            )
    audit_log(
        user=by,
        action=AuditAction.CREATE if created else AuditAction.CHANGE,
        obj=house,
        detail=("vakbondshuis via import" if created else "via import: " + ", ".join(changes))[
            :200
        ],
    )
    return house


def apply_houses(check: HouseCheck, *, by: User | None) -> HousePlan:
    if not check.ok:
        raise ValueError("A union house file with errors is not applied.")
    with transaction.atomic():
        plan = plan_houses(check)
        for row in plan.new:
            save_row(row, None, by=by)
        for change in plan.changed:
            save_row(change.row, change.house, by=by)
    return plan
