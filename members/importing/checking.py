"""Checking rows: file values into staging values, or per row the Dutch reasons it is refused."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import connection
from django.utils import timezone

from members.importing.format import (
    STAGING_COLUMNS,
    STAGING_INDEX,
    STATUSES,
    Column,
    normalise_header,
)
from members.models import MEMBER_NUMBER_RE, Employer, ErasedMember, Sector, normalise_postcode
from regions.models import Municipality, PostcodeArea

# The common shape, checked fast; anything else goes through Django's full validator.
EMAIL_RE = re.compile(r"^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$")


def _valid_email(value: str) -> bool:
    try:
        validate_email(value)
    except ValidationError:
        return False
    return True


EARLIEST_DATE = dt.date(1900, 1, 1)  # no imported date (birth, member since) lies before it
DATE_DMY = re.compile(r"^(\d{1,2})-(\d{1,2})-(\d{4})$")
DATE_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


def parse_date(value: str) -> dt.date:
    """'1-2-1980', '01-02-1980' or '1980-02-01'; ValueError with a Dutch message otherwise."""
    if match := DATE_DMY.match(value):
        day, month, year = (int(part) for part in match.groups())
    elif match := DATE_ISO.match(value):
        year, month, day = (int(part) for part in match.groups())
    else:
        raise ValueError(
            f"‘{value}’ is geen datum; schrijf dag-maand-jaar (1-2-1980 of 01-02-1980) of 1980-02-01."
        )
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise ValueError(f"‘{value}’ is geen bestaande datum.") from None


def erased_hash(member_number: str) -> str:
    return ErasedMember.hash_number(member_number)


@dataclass
class Lookups:
    """Reference data held in memory while checking rows (a few thousand entries)."""

    postcode_areas: dict[str, tuple[int, int]]  # pc4 → (municipality_id, region_id)
    municipalities: dict[str, tuple[int, int]]  # normalised name or code → (id, region_id)
    sectors: dict[str, int]
    employers_by_kvk: dict[str, int]
    employers_by_name: dict[str, int]
    erased: set[str]
    new_employers: dict[str, tuple[str, str]] = field(default_factory=dict)  # key → (name, kvk)
    today: dt.date = field(default_factory=timezone.localdate)
    # Of the reference data a row's check depends on (employers aside: see RowChecker.unchanged).
    fingerprint: str = ""

    @classmethod
    def load(cls) -> Lookups:
        municipalities: dict[str, tuple[int, int]] = {}
        for pk, code, name, region_id in Municipality.objects.values_list(
            "pk", "code", "name", "region_id"
        ):
            municipalities[normalise_header(name)] = (pk, region_id)
            municipalities[normalise_header(code)] = (pk, region_id)
        areas = {
            pc4: (municipality_id, region_id)
            for pc4, municipality_id, region_id in PostcodeArea.objects.values_list(
                "pc4", "municipality_id", "municipality__region_id"
            )
        }
        employers_by_name: dict[str, int] = {}
        employers_by_kvk: dict[str, int] = {}
        for pk, name, kvk, aliases, merged_into in Employer.objects.values_list(
            "pk", "name", "kvk_number", "aliases", "merged_into_id"
        ).order_by("-is_confirmed", "pk"):
            target = merged_into or pk
            for label in [name, *aliases]:
                employers_by_name.setdefault(normalise_header(label), target)
            if kvk:
                employers_by_kvk[kvk] = target
        sectors = {
            normalise_header(name): pk for pk, name in Sector.objects.values_list("pk", "name")
        }
        return cls(
            postcode_areas=areas,
            municipalities=municipalities,
            sectors=sectors,
            employers_by_kvk=employers_by_kvk,
            employers_by_name=employers_by_name,
            erased=set(ErasedMember.objects.values_list("number_hash", flat=True)),
            fingerprint=hashlib.blake2b(
                repr(
                    (CHECK_VERSION, sorted(areas.items()), sorted(municipalities.items()))
                    + (sorted(sectors.items()), sorted(STATUSES.items()))
                ).encode(),
                digest_size=16,
            ).hexdigest(),
        )


def known_row_hashes(with_employer: bool) -> set[int]:
    """The row hashes the import stored on members that nothing changed since (updated_at is
    still the moment of that import), XOR their employer's id when the file names employers.

    Fetched as a few long texts (one per 65,536 ids), which Python splits and converts in C: a
    million members take about 70 MB as a set of integers.
    """
    value = "import_hash # COALESCE(employer_id, 0)" if with_employer else "import_hash"
    known: set[int] = set()
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT string_agg(({value})::text, ' ') FROM members_member "
            "WHERE import_hash IS NOT NULL AND import_hash_at = updated_at GROUP BY id >> 16"
        )
        while chunk := cursor.fetchone():
            known.update(map(int, chunk[0].split()))
    return known


# Raise when a rule of RowChecker changes: the hashes stored by earlier imports then no
# longer say that a row passes, so every row is checked again (once).
CHECK_VERSION = 1
NORMAL_POSTCODE = re.compile(r"^[1-9][0-9]{3} [A-Z]{2}$")
KVK_RE = re.compile(r"^[0-9]{8}$")
CACHE_LIMIT = 200_000
RowErrors = list[tuple[str, str]]  # (column header, Dutch reason), in the file's column order
Found = list[tuple[int, str]]  # (row position, Dutch reason) of the values a rule refuses
Staged = list[Any]  # per staging column, its values for the batch's rows
Context = dict[str, list[Any]]  # per column kind, what a later rule derives values from


class RowChecker:
    """Turns file rows into staging rows, or per row a list of (column, Dutch reason).

    Rows are checked a batch at a time and column by column: one pass over all values of a
    column per rule is several times faster in Python than one call per cell. Dates are parsed
    once per distinct value. `check` checks one row with the same rules (the admin's path).
    """

    def __init__(self, columns: list[Column | None], lookups: Lookups) -> None:
        self.columns = [(index, column) for index, column in enumerate(columns) if column]
        self.width = len(columns)
        self.fields = {column.field for _, column in self.columns}
        self.lookups = lookups
        # Per kind of date (birth "b", other "d"): value → ISO date or None; value → reason.
        self.dates: dict[str, dict[str, str | None]] = {"b": {}, "d": {}}
        self.refused_dates: dict[str, dict[str, str]] = {"b": {}, "d": {}}
        self.derive_place = "municipality" in self.fields or "postcode" in self.fields
        self.employer = "employer" in self.fields or "kvk" in self.fields
        positions = {column.field: index for index, column in self.columns}
        self.employer_positions = (positions.get("employer"), positions.get("kvk"))
        self.number_position = positions.get("member_number", 0)
        # What a row's hash covers besides its cells: the columns' meaning and the reference
        # data the check reads (NUL separates: no accepted file holds one).
        mapping = "\x01".join(column.field if column else "" for column in columns)
        self.hash_prefix = f"{lookups.fingerprint}\x01{mapping}\x02"
        self.known: set[int] = set()  # known_row_hashes(), when the caller loads them

    def row_hashes(self, rows: list[list[str]]) -> list[int]:
        """A 64-bit hash per row of its raw cells (signed, for a bigint column)."""
        blake2b, from_bytes, join, prefix = (
            hashlib.blake2b,
            int.from_bytes,
            "\x00".join,
            self.hash_prefix,
        )
        return [
            from_bytes(
                blake2b((prefix + join(values)).encode(), digest_size=8).digest(), signed=True
            )
            for values in rows
        ]

    def unchanged(self, rows: list[list[str]], hashes: list[int]) -> list[int]:
        """Positions of the rows an earlier import wrote as they are, to a member nothing
        changed since: the same cells and reference data give the same check and values.

        Employers are the exception: they are created and merged all the time, so instead of
        being part of the hash, the employer a row names now must be the member's employer
        (known holds the stored hash XOR the member's employer id). A row naming an employer
        that does not exist yet is checked.
        """
        known = self.known
        if not known:
            return []
        if not self.employer:
            return [position for position, row_hash in enumerate(hashes) if row_hash in known]
        found = []
        name_at, kvk_at = self.employer_positions
        by_kvk, by_name = self.lookups.employers_by_kvk, self.lookups.employers_by_name
        width = self.width
        for position, (values, row_hash) in enumerate(zip(rows, hashes, strict=True)):
            if len(values) != width:
                continue
            name = values[name_at].strip() if name_at is not None else ""
            kvk = values[kvk_at].strip() if kvk_at is not None else ""
            if kvk:
                employer = by_kvk.get(kvk)
            elif name:
                employer = by_name.get(normalise_header(name))
            else:
                employer = 0  # no employer: the member has none
            if employer is not None and row_hash ^ employer in known:
                found.append(position)
        return found

    def check(self, values: list[str]) -> tuple[list | None, RowErrors]:
        staged, errors = self.check_batch([0], [values])
        if errors:
            return None, errors[0][1]
        return list(staged[0]), []

    def check_batch(
        self, lines: list[int], rows: list[list[str]], hashes: list[int] | None = None
    ) -> tuple[list[tuple], list[tuple[int, RowErrors]]]:
        """(staging rows of the good rows, [(line, errors)] of the rejected rows in file order).

        `hashes`: the rows' row_hashes, staged with them."""
        count = len(rows)
        errors: dict[int, RowErrors] = {}
        misfits: dict[int, RowErrors] = {}
        width = self.width
        if any(len(values) != width for values in rows):
            rows = [self._fit(position, values, misfits) for position, values in enumerate(rows)]
        cells = list(zip(*rows, strict=True)) if count else []
        staged: list[list | tuple] = [[None] * count for _ in STAGING_COLUMNS]
        staged[0] = lines
        if hashes is not None:
            staged[STAGING_INDEX["row_hash"]] = hashes
        context: dict[str, list] = {}
        for index, column in self.columns:
            values = list(map(str.strip, cells[index]))
            long = set()
            if column.max_length and max(map(len, values), default=0) > column.max_length:
                reason = f"Te lang: hoogstens {column.max_length} tekens toegestaan."
                for position, value in enumerate(values):
                    if len(value) > column.max_length:
                        long.add(position)
                        errors.setdefault(position, []).append((column.header, reason))
            found = getattr(self, f"_{column.kind}")(values, column, staged, context)
            for position, reason in found:
                if position not in long:
                    errors.setdefault(position, []).append((column.header, reason))
        errors.update(misfits)  # a row that does not fit the header: that is its one reason
        good: Sequence[int] = range(count)
        if errors:
            good = [position for position in good if position not in errors]
        if self.derive_place:
            self._place(good, staged, context)
        if self.employer:
            self._employers(good, staged, context)
        rejected = [(lines[position], errors[position]) for position in sorted(errors)]
        if not errors:
            return list(zip(*staged, strict=True)), rejected
        return [
            row for position, row in enumerate(zip(*staged, strict=True)) if position not in errors
        ], rejected

    def _fit(self, position: int, values: list[str], errors: dict[int, RowErrors]) -> list[str]:
        if len(values) == self.width:
            return values
        if len(values) > self.width and not any(value.strip() for value in values[self.width :]):
            return values[: self.width]
        errors[position] = [
            (
                "",
                f"Deze regel heeft {len(values)} velden, de kopregel {self.width}. Controleer scheidingstekens en aanhalingstekens.",
            )
        ]
        return [""] * self.width

    # One method per kind of column: it stores the column's staging values and returns
    # [(row position, Dutch reason)] for the values it refuses.

    def _text(self, values: list[str], column: Column, staged: Staged, context: Context) -> Found:
        staged[STAGING_INDEX[column.field]] = values
        if column.required and "" in values:
            return [
                (position, "Dit veld is verplicht.") for position, v in enumerate(values) if not v
            ]
        return []

    def _member_number(
        self, values: list[str], column: Column, staged: Staged, context: Context
    ) -> Found:
        staged[1] = values
        match = MEMBER_NUMBER_RE.match
        return [
            (
                position,
                f"Lidnummer ‘{value}’ heeft niet de goede vorm: 6 tot 10 cijfers."
                if value
                else "Het lidnummer ontbreekt.",
            )
            for position, value in enumerate(values)
            if not match(value)
        ]

    def _email(self, values: list[str], column: Column, staged: Staged, context: Context) -> Found:
        staged[STAGING_INDEX["email"]] = values
        match = EMAIL_RE.match
        return [
            (position, f"‘{value}’ is geen geldig e-mailadres.")
            for position, value in enumerate(values)
            if value and not match(value) and not _valid_email(value)
        ]

    def _postcode(
        self, values: list[str], column: Column, staged: Staged, context: Context
    ) -> Found:
        match = NORMAL_POSTCODE.match
        found = []
        odd = [
            position
            for position, value in enumerate(values)
            if value and (not match(value) or value[5:] in ("SA", "SD", "SS"))
        ]
        if odd:
            values = list(values)
            for position in odd:
                try:
                    values[position] = normalise_postcode(values[position])
                except ValidationError:
                    found.append(
                        (
                            position,
                            f"‘{values[position]}’ is geen geldige postcode; gebruik vier cijfers en twee letters, zoals 1234 AB.",
                        )
                    )
        staged[STAGING_INDEX["postcode"]] = values
        areas = self.lookups.postcode_areas.get
        context["area"] = [areas(value[:4]) if value else None for value in values]
        return found

    def _municipality(
        self, values: list[str], column: Column, staged: Staged, context: Context
    ) -> Found:
        known = self.lookups.municipalities.get
        places = [known(normalise_header(value)) if value else None for value in values]
        context["municipality"] = places
        return [
            (position, f"Onbekende gemeente ‘{value}’.")
            for position, (value, place) in enumerate(zip(values, places, strict=True))
            if value and place is None
        ]

    def _dates(self, values: list[str], column: Column, staged: Staged, birth: bool) -> Found:
        """Dates as ISO text (what COPY reads fastest), each distinct value parsed once."""
        cache, refused = (
            self.dates["b" if birth else "d"],
            self.refused_dates["b" if birth else "d"],
        )
        if len(cache) > CACHE_LIMIT:
            cache.clear()
            refused.clear()
        distinct = set(values)
        for value in distinct.difference(cache):
            result = self._parse_date(value, birth) if value else None
            if isinstance(result, str):
                refused[value] = result
                result = None
            cache[value] = result.isoformat() if result else None
        staged[STAGING_INDEX[column.field]] = list(map(cache.__getitem__, values))
        if distinct.isdisjoint(refused):
            return []
        return [
            (position, refused[value]) for position, value in enumerate(values) if value in refused
        ]

    def _parse_date(self, value: str, birth: bool) -> dt.date | str:
        """A date between 1-1-1900 and today (a birth date, or the day someone became a member).

        Without bounds, a year such as 0001 or 1066 was accepted and stored (issue 12, item 3).
        """
        try:
            date = parse_date(value)
        except ValueError as error:
            return str(error)
        if date > self.lookups.today:
            return f"‘{value}’ ligt in de toekomst."
        if date < EARLIEST_DATE:
            if birth:
                return f"‘{value}’ is geen mogelijke geboortedatum: die ligt tussen 1-1-1900 en vandaag."
            return f"‘{value}’ ligt vóór 1-1-1900; een datum in deze kolom ligt tussen 1-1-1900 en vandaag."
        return date

    def _date(self, values: list[str], column: Column, staged: Staged, context: Context) -> Found:
        return self._dates(values, column, staged, birth=False)

    def _birth_date(
        self, values: list[str], column: Column, staged: Staged, context: Context
    ) -> Found:
        return self._dates(values, column, staged, birth=True)

    def _named(
        self,
        values: list[str],
        known: Mapping[str, object],
        staged: Staged,
        field_name: str,
        reason: str,
    ) -> Found:
        """A value looked up by its normalised name (sector, status)."""
        names = {value: known.get(normalise_header(value)) for value in set(values) if value}
        staged[STAGING_INDEX[field_name]] = [names[value] if value else None for value in values]
        return [
            (position, reason.format(value=value))
            for position, value in enumerate(values)
            if value and names[value] is None
        ]

    def _sector(self, values: list[str], column: Column, staged: Staged, context: Context) -> Found:
        return self._named(
            values,
            self.lookups.sectors,
            staged,
            "sector_id",
            "Onbekende sector ‘{value}’; een beheerder voegt sectoren toe.",
        )

    def _status(self, values: list[str], column: Column, staged: Staged, context: Context) -> Found:
        return self._named(
            values,
            STATUSES,
            staged,
            "status",
            "Onbekende status ‘{value}’; gebruik actief, geschorst of beëindigd.",
        )

    def _employer_name(
        self, values: list[str], column: Column, staged: Staged, context: Context
    ) -> Found:
        context["employer"] = values
        return []

    def _kvk(self, values: list[str], column: Column, staged: Staged, context: Context) -> Found:
        context["kvk"] = values
        match = KVK_RE.match
        return [
            (position, f"KvK-nummer ‘{value}’ bestaat niet uit precies 8 cijfers.")
            for position, value in enumerate(values)
            if value and not match(value)
        ]

    # Values derived from several columns, for the good rows only.

    def _place(self, good: Sequence[int], staged: Staged, context: Context) -> None:
        """Municipality and region: from the municipality column, else from the postcode."""
        municipalities = context.get("municipality")
        areas = context.get("area")
        municipality_ids = staged[STAGING_INDEX["municipality_id"]]
        region_ids = staged[STAGING_INDEX["region_id"]]
        for position in good:
            place = (municipalities and municipalities[position]) or (areas and areas[position])
            if place:
                municipality_ids[position], region_ids[position] = place

    def _employers(self, good: Sequence[int], staged: Staged, context: Context) -> None:
        count = len(staged[0])
        names = context.get("employer") or [""] * count
        kvks = context.get("kvk") or [""] * count
        employer_ids = staged[STAGING_INDEX["employer_id"]]
        employer_keys = staged[STAGING_INDEX["employer_key"]]
        for position in good:
            name, kvk = names[position], kvks[position]
            if name or kvk:
                employer_ids[position], employer_keys[position] = self._employer(name, kvk)

    def _employer(self, name: str, kvk: str) -> tuple[int | None, str | None]:
        lookups = self.lookups
        if kvk and kvk in lookups.employers_by_kvk:
            return lookups.employers_by_kvk[kvk], None
        if not kvk and (found := lookups.employers_by_name.get(normalise_header(name))):
            return found, None
        key = f"kvk:{kvk}" if kvk else f"naam:{normalise_header(name)}"
        lookups.new_employers.setdefault(key, (name or f"KvK {kvk}", kvk))
        return None, key
