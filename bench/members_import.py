"""Benchmark of the member import (the background path, validation included) against COPY.

    python bench/members_import.py [--rows 1000000] [--keep-file]

Generates N member rows in the Dutch Excel format (cp1252, `;`, d-m-jjjj dates), imports them
the way the portal's background task does (validate_import + apply_import), imports the same
file again (0 rows must be written), and COPYs the same file into a bare table. Uses the
database of DATABASE_URL; the benchmark's members (numbers from 8000000000) are removed
before and after. The last line is machine-readable:

RESULT rows=… import_s=… reimport_s=… reimport_written=… copy_s=… ratio_to_copy=… peak_mb=…
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fnvregio.settings")
os.environ.setdefault("DJANGO_DEBUG", "1")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402

from members.importing import apply_import, validate_import  # noqa: E402
from members.models import ImportStatus, Member, MemberImport, Sector  # noqa: E402
from regions.models import PostcodeArea  # noqa: E402

FIRST = 8_000_000_000
HEADER = (
    "Lidnummer;Voorletters;Voornaam;Tussenvoegsel;Achternaam;E-mail;Telefoon;Straat;Huisnummer;"
    "Postcode;Woonplaats;Geboortedatum;Sector;Werkgever;Status;Lid sinds"
)
FIRST_NAMES = [
    "Jan",
    "Marieke",
    "Zoë",
    "Özlem",
    "Pieter",
    "Fatima",
    "Daan",
    "Emma",
    "Noah",
    "Anouk",
]
LAST_NAMES = ["Jansen", "de Vries", "Bakker", "Visser", "Smit", "Meijer", "Çelik", "El Amrani"]
PREFIXES = ["", "", "", "de", "van", "van der"]
STREETS = ["Dorpsstraat", "Kerkstraat", "Stationsweg", "Oudegracht", "Hoofdstraat; achter"]
STATUSES = ["actief"] * 18 + ["geschorst", "beëindigd"]


def generate(path: str, rows: int, seed: int = 2026) -> None:
    rng = random.Random(seed)
    pc4s = list(PostcodeArea.objects.values_list("pc4", flat=True)) or ["3511"]
    sectors = list(Sector.objects.values_list("name", flat=True))
    letters = "ABCDEFGHJKLMNPRTUVWXYZ"
    with open(path, "w", encoding="cp1252", newline="") as handle:
        handle.write(HEADER + "\r\n")
        for index in range(rows):
            first = rng.choice(FIRST_NAMES)
            street = rng.choice(STREETS)
            if ";" in street:
                street = f'"{street}"'
            handle.write(
                ";".join(
                    [
                        str(FIRST + index),
                        first[0] + ".",
                        first,
                        rng.choice(PREFIXES),
                        rng.choice(LAST_NAMES),
                        f"lid{index}@example.nl",
                        f"06-{rng.randint(10000000, 99999999)}",
                        street,
                        str(rng.randint(1, 300)),
                        f"{rng.choice(pc4s)} {rng.choice(letters)}{rng.choice(letters)}",
                        "Utrecht",
                        f"{rng.randint(1, 28)}-{rng.randint(1, 12)}-{rng.randint(1950, 2005)}",
                        rng.choice(sectors),
                        "",
                        rng.choice(STATUSES),
                        f"{rng.randint(1, 28)}-{rng.randint(1, 12)}-{rng.randint(1980, 2025)}",
                    ]
                )
                + "\r\n"
            )


def background_import(path: str) -> tuple[float, MemberImport]:
    started = time.perf_counter()
    member_import = MemberImport.objects.create(
        file_name=os.path.basename(path), file_path=path, source="command"
    )
    member_import = validate_import(member_import)
    assert member_import.status == ImportStatus.PREVIEWED, member_import.message
    validated = time.perf_counter()
    member_import = apply_import(member_import)
    print(
        f"  check+preview {validated - started:.1f} s, apply {time.perf_counter() - validated:.1f} s",
        f"(cpu so far {time.process_time():.1f} s)",
    )
    assert member_import.status == ImportStatus.DONE, member_import.message
    return time.perf_counter() - started, member_import


def copy_bare(path: str) -> float:
    columns = ", ".join(f"c{i} text" for i in range(16))
    with connection.cursor() as cursor:
        cursor.execute(
            f"DROP TABLE IF EXISTS bench_bare_copy; CREATE TABLE bench_bare_copy ({columns})"
        )
        started = time.perf_counter()
        with (
            open(path, "rb") as handle,
            cursor.copy(
                "COPY bench_bare_copy FROM STDIN (FORMAT csv, DELIMITER ';', HEADER, ENCODING 'WIN1252')"
            ) as copy,
        ):
            while chunk := handle.read(1 << 20):
                copy.write(chunk)
        elapsed = time.perf_counter() - started
        cursor.execute("DROP TABLE bench_bare_copy")
    return elapsed


def clean() -> None:
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM members_member WHERE member_number >= %s", [str(FIRST)])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--keep-file", action="store_true")
    parser.add_argument(
        "--file", help="a file made earlier with --keep-file and the same --rows (not removed)"
    )
    args = parser.parse_args()
    print("load average at start: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    for name in ["Handel", "Bouw en Infra", "Zorg en Welzijn", "Vervoer", "Metaal en Techniek"]:
        Sector.objects.get_or_create(name=name)
    clean()
    if args.file:
        path = args.file
    else:
        handle, path = tempfile.mkstemp(suffix=".csv", prefix="bench-leden-")
        os.close(handle)
    try:
        started = time.perf_counter()
        if not args.file:
            generate(path, args.rows)
        size_mb = os.path.getsize(path) / 1e6
        print(
            f"generated {args.rows} rows ({size_mb:.0f} MB) in {time.perf_counter() - started:.1f} s"
        )
        import_s, first = background_import(path)
        print(
            f"import:   {import_s:7.1f} s  {args.rows / import_s:9.0f} rows/s  "
            f"created={first.created} updated={first.updated} unchanged={first.unchanged}"
        )
        reimport_s, second = background_import(path)
        written = second.created + second.updated + second.ended
        print(
            f"reimport: {reimport_s:7.1f} s  {args.rows / reimport_s:9.0f} rows/s  "
            f"written={written} unchanged={second.unchanged}"
        )
        copy_s = copy_bare(path)
        print(
            f"copy:     {copy_s:7.1f} s  {args.rows / copy_s:9.0f} rows/s (bare table, no checks)"
        )
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        helper_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(
            f"peak memory: import process {peak_mb:.0f} MB, its checking helper {helper_mb:.0f} MB"
        )
        peak_mb = max(peak_mb, helper_mb)
        assert Member.objects.filter(member_number__gte=str(FIRST)).count() == args.rows
        print("load average at the end: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
        print(
            f"RESULT rows={args.rows} import_s={import_s:.1f} reimport_s={reimport_s:.1f} "
            f"reimport_written={written} copy_s={copy_s:.1f} ratio_to_copy={import_s / copy_s:.1f} "
            f"peak_mb={peak_mb:.0f}"
        )
    finally:
        clean()
        if not args.keep_file and not args.file:
            os.remove(path)


if __name__ == "__main__":
    main()
