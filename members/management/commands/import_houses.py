"""`python manage.py import_houses FILE [--dry-run]`: union houses with their hours (CSV or XLSX).

One house per row, known by its name; the region follows from the municipality; opening hours
and consultation hours in the week notation ("ma 09:00-17:00; wo 13:00-17:00"). Houses missing
from the file are counted and kept. A file with errors imports nothing (exit 1).
"""

from __future__ import annotations

import os

from django.core.management.base import BaseCommand, CommandError

from members.importing.format import ImportRefused
from members.setup_import import houses
from members.setup_import.report import count_lines, error_lines, refused_message


class Command(BaseCommand):
    help = "Importeer vakbondshuizen met openingstijden en spreekuren uit CSV of XLSX."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument(
            "--dry-run", action="store_true", help="Alleen controleren en tonen wat er verandert."
        )

    def handle(self, *args, file: str, dry_run: bool, **options):
        if not os.path.isfile(file):
            raise CommandError(f"Bestand niet gevonden: {file}")
        try:
            check = houses.read_house_file(file)
        except ImportRefused as refused:
            raise CommandError(str(refused)) from None
        self.stdout.write(
            f"Vakbondshuizen {os.path.basename(file)}: {check.label}, {check.total} rij(en)."
        )
        if not check.ok:
            for line in error_lines(check.errors):
                self.stderr.write(line)
            raise CommandError(refused_message(len(check.errors)))
        plan = houses.plan_houses(check)
        for line in count_lines(
            [
                ("nieuw", len(plan.new)),
                ("gewijzigd", len(plan.changed)),
                ("ongewijzigd", len(plan.unchanged)),
                ("niet in het bestand (blijven zoals ze zijn)", len(plan.missing)),
            ]
        ):
            self.stdout.write(line)
        for change in plan.changed:
            self.stdout.write(f"  gewijzigd: {change.house.name} ({', '.join(change.changes)})")
        if dry_run:
            self.stdout.write("Proefdraai: er is niets gewijzigd.")
            return
        houses.apply_houses(check, by=None)
        self.stdout.write(
            self.style.SUCCESS(
                f"Klaar: {len(plan.new)} nieuw, {len(plan.changed)} gewijzigd, "
                f"{len(plan.unchanged)} ongewijzigd."
            )
        )
