"""Reading and checking a labour-market file (CSV or XLSX in the layout of a CBS StatLine or UWV
export) before anything is saved. A file with one error imports nothing; every error names its
row and column in Dutch and says what to write instead.

The file is read with the member import's readers (members.importing.reading): the same
encodings (UTF-8 with or without BOM, Windows-1252), delimiters (; , tab) and XLSX limits
against zip bombs. The columns are documented in docs/dashboard.md.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils import timezone
from django.utils.translation import gettext as _

from members.importing.format import ImportRefused
from members.importing.reading import inspect_file, open_table
from regions.models import Region

MAX_ROWS = 10_000
MAX_ERRORS = 50  # the first ones are shown; a file with errors imports nothing anyway
EXAMPLE_MARK = "VOORBEELD"

# What each column may be called (compared lower case, without spaces, "-" or "_", and without
# the "_1" numbering a StatLine export adds).
COLUMNS: dict[str, tuple[str, ...]] = {
    "region": ("regios", "regio", "regiocode", "arbeidsmarktregio", "code"),
    "period": ("perioden", "periode"),
    "vacancies": ("vacatures", "openstaandevacatures"),
    "unemployment_rate": ("werkloosheid", "werkloosheidspercentage", "werkloosheid%"),
    "benefit_recipients": ("wwuitkeringen", "lopendewwuitkeringen", "ww"),
    "tension": ("spanningsindicator", "spanning"),
    "source": ("bron",),
    "note": ("opmerking", "toelichting"),
}
FIGURES = ("vacancies", "unemployment_rate", "benefit_recipients", "tension")
# (smallest, largest, whole numbers only)
BOUNDS: dict[str, tuple[Decimal, Decimal, bool]] = {
    "vacancies": (Decimal(0), Decimal(5_000_000), True),
    "unemployment_rate": (Decimal(0), Decimal(100), False),
    "benefit_recipients": (Decimal(0), Decimal(5_000_000), True),
    "tension": (Decimal(0), Decimal(50), False),
}
MISSING = {"", ".", "-", "x"}  # StatLine writes "." for a figure it does not have


def column_title(key: str) -> str:
    return {
        "region": _("Regio"),
        "period": _("Perioden"),
        "vacancies": _("Vacatures"),
        "unemployment_rate": _("Werkloosheid"),
        "benefit_recipients": _("WW-uitkeringen"),
        "tension": _("Spanningsindicator"),
        "source": _("Bron"),
        "note": _("Opmerking"),
    }[key]


def _header_key(name: str) -> str:
    key = re.sub(r"_\d+$", "", name.strip().lower())
    return re.sub(r"[\s\-_']", "", key)


@dataclass(frozen=True)
class Period:
    key: str  # "2026-09", "2026-K3", "2026"
    start: dt.date
    end: dt.date
    label: str


def parse_period(text: str, *, today: dt.date | None = None) -> Period | None:
    """A StatLine period code (2026MM09, 2026KW03, 2026JJ00) or 2026-09, 2026-K3, 2026;
    None when it is none of these, before 2000 or not yet begun."""
    today = today or timezone.localdate()
    value = text.strip().upper().replace(" ", "")
    month = re.fullmatch(r"(\d{4})(?:MM|-)(\d{2})", value)
    quarter = re.fullmatch(r"(\d{4})(?:KW0?|-?K|-Q)([1-4])", value)
    year = re.fullmatch(r"(\d{4})(?:JJ00)?", value)
    if month and 1 <= int(month[2]) <= 12:
        y, m = int(month[1]), int(month[2])
        start = dt.date(y, m, 1)
        period = Period(
            f"{y}-{m:02d}",
            start,
            dt.date(y, m, calendar.monthrange(y, m)[1]),
            f"{y}-{m:02d}",
        )
    elif quarter:
        y, q = int(quarter[1]), int(quarter[2])
        start = dt.date(y, 3 * q - 2, 1)
        last = 3 * q
        period = Period(
            f"{y}-K{q}",
            start,
            dt.date(y, last, calendar.monthrange(y, last)[1]),
            _("%(year)s, kwartaal %(q)s") % {"year": y, "q": q},
        )
    elif year:
        y = int(year[1])
        period = Period(str(y), dt.date(y, 1, 1), dt.date(y, 12, 31), str(y))
    else:
        return None
    if period.start.year < 2000 or period.start > today:
        return None
    return period


def dutch_decimal(text: str, *, from_xlsx: bool = False) -> Decimal | None:
    """A number as a Dutch person writes it: "1.234" (thousands), "5,6", "1.234,5"; None when
    the cell is empty or StatLine's "." (no figure). An XLSX number cell arrives as "5.6".
    Raises ValueError for anything else."""
    value = text.strip().replace("\u00a0", "").replace(" ", "")
    if value.lower() in MISSING:
        return None
    if from_xlsx and re.fullmatch(r"-?\d+(\.\d+)?", value):
        normal = value
    elif re.fullmatch(r"-?\d{1,3}(\.\d{3})+(,\d+)?|-?\d+(,\d+)?", value):
        normal = value.replace(".", "").replace(",", ".")
    else:
        raise ValueError(value)
    try:
        number = Decimal(normal)
    except InvalidOperation as error:  # pragma: no cover  (the patterns above are numbers)
        raise ValueError(value) from error
    if not number.is_finite():  # pragma: no cover
        raise ValueError(value)
    return number


@dataclass
class Row:
    line: int
    region: Region
    period: Period
    values: dict[str, Decimal | None]
    source: str
    is_example: bool


@dataclass
class Checked:
    rows: list[Row] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    sha256: str = ""
    kind: str = ""
    more_errors: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.rows)


def _number_message(line: int, title: str, raw: str) -> str:
    return _(
        'Rij %(line)s, kolom "%(column)s": "%(value)s" is geen getal. Schrijf bijvoorbeeld '
        "1.234 of 5,6, of laat de cel leeg als het cijfer er niet is."
    ) % {"line": line, "column": title, "value": raw[:40]}


def check_file(path: str, *, source: str, today: dt.date | None = None) -> Checked:
    """Read and check the whole file; `source` is the source named in the form, used for rows
    without a "Bron" column. Raises ImportRefused when the file as a whole cannot be read."""
    info = inspect_file(path)
    table = open_table(info)
    checked = Checked(sha256=info.sha256, kind=info.kind)
    from_xlsx = info.kind == "xlsx"
    try:
        positions: dict[str, int] = {}
        for index, name in enumerate(table.header):
            header_key = _header_key(name)
            for column, names in COLUMNS.items():
                if header_key in names and column not in positions:
                    positions[column] = index
        missing = [column_title(c) for c in ("region", "period") if c not in positions]
        if missing:
            raise ImportRefused(
                _(
                    "De kolom %(columns)s ontbreekt. De eerste rij moet de kolomnamen bevatten, "
                    "zoals in een export van CBS StatLine: Regio, Perioden en ten minste een "
                    "van Vacatures, Werkloosheid, WW-uitkeringen, Spanningsindicator."
                )
                % {"columns": " en ".join(f'"{m}"' for m in missing)}
            )
        if not any(c in positions for c in FIGURES):
            raise ImportRefused(
                _(
                    "Er staat geen kolom met cijfers in het bestand. Noem ten minste een kolom "
                    "Vacatures, Werkloosheid, WW-uitkeringen of Spanningsindicator."
                )
            )
        regions = {r.code: r for r in Region.objects.all()}
        seen: dict[tuple[str, str], int] = {}

        def error(message: str) -> None:
            if len(checked.errors) < MAX_ERRORS:
                checked.errors.append(message)
            else:
                checked.more_errors += 1

        for line, cells in table.rows:
            if not any(cell.strip() for cell in cells):
                continue
            if line > MAX_ROWS + 1:
                raise ImportRefused(
                    _("Het bestand heeft meer dan %(n)s rijen; splits het.") % {"n": "10.000"}
                )

            def cell(column: str, cells: list[str] = cells) -> str:
                index = positions.get(column)
                return cells[index] if index is not None and index < len(cells) else ""

            row_ok = True
            code = cell("region").strip().upper()
            region = regions.get(code)
            if region is None:
                row_ok = False
                error(
                    _(
                        'Rij %(line)s, kolom "%(column)s": "%(value)s" is geen code van een '
                        "arbeidsmarktregio. Gebruik de code van CBS, AM01 tot en met AM35."
                    )
                    % {"line": line, "column": column_title("region"), "value": code[:40]}
                )
            period = parse_period(cell("period"), today=today)
            if period is None:
                row_ok = False
                error(
                    _(
                        'Rij %(line)s, kolom "%(column)s": "%(value)s" is geen bekende periode. '
                        "Schrijf een maand (2026MM09 of 2026-09), een kwartaal (2026KW03) of "
                        "een jaar (2026JJ00), niet voor 2000 en niet in de toekomst."
                    )
                    % {"line": line, "column": column_title("period"), "value": cell("period")[:40]}
                )
            values: dict[str, Decimal | None] = {}
            for column in FIGURES:
                if column not in positions:
                    continue
                raw = cell(column)
                try:
                    number = dutch_decimal(raw, from_xlsx=from_xlsx)
                except ValueError:
                    row_ok = False
                    error(_number_message(line, column_title(column), raw))
                    continue
                if number is not None:
                    low, high, whole = BOUNDS[column]
                    if whole and number != number.to_integral_value():
                        row_ok = False
                        error(
                            _(
                                'Rij %(line)s, kolom "%(column)s": "%(value)s" moet een '
                                "geheel getal zijn."
                            )
                            % {"line": line, "column": column_title(column), "value": raw[:40]}
                        )
                        continue
                    if not low <= number <= high:
                        row_ok = False
                        error(
                            _(
                                'Rij %(line)s, kolom "%(column)s": %(value)s ligt niet tussen '
                                "%(low)s en %(high)s."
                            )
                            % {
                                "line": line,
                                "column": column_title(column),
                                "value": raw[:40],
                                "low": low,
                                "high": f"{high:,}".replace(",", "."),
                            }
                        )
                        continue
                    if not whole:
                        number = number.quantize(
                            Decimal("0.1") if column == "unemployment_rate" else Decimal("0.01")
                        )
                values[column] = number
            if row_ok and all(v is None for v in values.values()):
                row_ok = False
                error(_("Rij %(line)s: er staat geen enkel cijfer in deze rij.") % {"line": line})
            row_source = cell("source").strip()[:100] or source
            if row_ok and region is not None and period is not None:
                key = (region.code, period.key)
                if key in seen:
                    error(
                        _(
                            "Rij %(line)s: %(region)s, %(period)s staat ook al in rij %(other)s. "
                            "Houd per regio en periode één rij."
                        )
                        % {
                            "line": line,
                            "region": region.code,
                            "period": period.label,
                            "other": seen[key],
                        }
                    )
                    continue
                seen[key] = line
                checked.rows.append(
                    Row(
                        line=line,
                        region=region,
                        period=period,
                        values=values,
                        source=row_source,
                        is_example=EXAMPLE_MARK in cell("note").upper()
                        or EXAMPLE_MARK in row_source.upper(),
                    )
                )
    finally:
        table.close()
    if not checked.rows and not checked.errors:
        checked.errors.append(_("Het bestand bevat geen rijen met cijfers."))
    return checked
