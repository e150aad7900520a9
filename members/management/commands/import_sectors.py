"""`python manage.py import_sectors FILE [--dry-run]`: the sectors list from CSV or XLSX.

One column `sector`; new sectors are added, the spelling of existing ones follows the file,
sectors missing from the file are counted and kept. A file with errors imports nothing (exit 1).
"""

from __future__ import annotations

import os

from django.core.management.base import BaseCommand, CommandError

from members.importing.format import ImportRefused
from members.setup_import import sectors
from members.setup_import.report import count_lines, error_lines, refused_message


class Command(BaseCommand):
    help = "Importeer de lijst met sectoren uit CSV of XLSX (kolom: sector)."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument(
            "--dry-run", action="store_true", help="Alleen controleren en tonen wat er verandert."
        )

    def handle(self, *args, file: str, dry_run: bool, **options):
        if not os.path.isfile(file):
            raise CommandError(f"Bestand niet gevonden: {file}")
        try:
            check = sectors.read_sector_file(file)
        except ImportRefused as refused:
            raise CommandError(str(refused)) from None
        self.stdout.write(
            f"Sectorenlijst {os.path.basename(file)}: {check.label}, {check.total} rij(en)."
        )
        if not check.ok:
            for line in error_lines(check.errors):
                self.stderr.write(line)
            raise CommandError(refused_message(len(check.errors)))
        plan = sectors.plan_sectors(check)
        for line in count_lines(
            [
                ("nieuw", len(plan.new)),
                ("andere schrijfwijze", len(plan.renamed)),
                ("ongewijzigd", len(plan.unchanged)),
                ("niet in het bestand (blijven bestaan)", len(plan.missing)),
            ]
        ):
            self.stdout.write(line)
        if dry_run:
            self.stdout.write("Proefdraai: er is niets gewijzigd.")
            return
        sectors.apply_sectors(check, by=None)
        self.stdout.write(
            self.style.SUCCESS(
                f"Klaar: {len(plan.new)} nieuw, {len(plan.renamed)} gewijzigd, "
                f"{len(plan.unchanged)} ongewijzigd."
            )
        )
