"""CSV export of members for admins, safe against formula injection in spreadsheet programs."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator

from members.models import Member

# A spreadsheet treats a cell starting with one of these as a formula (tab and carriage
# return are used to smuggle one past a naive check).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> str:
    """Prefix an apostrophe to a cell a spreadsheet would read as a formula; remove nothing."""
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def csv_line(values: Iterable[object]) -> str:
    """One `;`-separated line (Dutch Excel), every cell made formula-safe."""
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";", lineterminator="\r\n").writerow(
        [safe_cell(value) for value in values]
    )
    return buffer.getvalue()


EXPORT_HEADER = [
    "lidnummer",
    "voorletters",
    "voornaam",
    "tussenvoegsel",
    "achternaam",
    "e-mail",
    "telefoon",
    "straat",
    "huisnummer",
    "postcode",
    "woonplaats",
    "gemeente",
    "geboortedatum",
    "sector",
    "werkgever",
    "kvk-nummer",
    "status",
    "lid sinds",
]
STATUS_DUTCH = {"active": "actief", "suspended": "geschorst", "ended": "beëindigd"}


def _date(value) -> str:
    return value.strftime("%d-%m-%Y") if value else ""


def export_rows(queryset) -> Iterator[str]:
    """The members as CSV lines in the import format (so an export can be imported again)."""
    yield "\ufeff" + csv_line(EXPORT_HEADER)
    rows = queryset.order_by("member_number").values_list(
        "member_number",
        "initials",
        "first_name",
        "name_prefix",
        "last_name",
        "email",
        "phone",
        "street",
        "house_number",
        "postcode",
        "city",
        "municipality__name",
        "birth_date",
        "sector__name",
        "employer__name",
        "employer__kvk_number",
        "status",
        "member_since",
    )
    for row in rows.iterator(chunk_size=5000):
        values = list(row)
        values[12] = _date(values[12])
        values[16] = STATUS_DUTCH.get(values[16], values[16])
        values[17] = _date(values[17])
        yield csv_line(values)


def all_members():
    return Member.objects.all()
