"""`python manage.py import_staff FILE [--dry-run] [--deactivate-missing]`.

Staff accounts (consultants, advisers, regional officials, coordinators, sector officials)
from a CSV or XLSX file (docs/setting-up-a-region.md). Prints what the file changes: new,
changed, unchanged, and the accounts of the same roles and area that are not in the file. A
file with errors imports nothing (exit 1). New accounts get an invitation mail; accounts
missing from the file are deactivated only with --deactivate-missing, never deleted.
"""

from __future__ import annotations

import os

from django.core.management.base import BaseCommand, CommandError

from members.importing.format import ImportRefused
from members.setup_import import staff
from members.setup_import.report import count_lines, error_lines, refused_message


class Command(BaseCommand):
    help = "Importeer medewerkersaccounts (consulenten, adviseurs, bestuurders) uit CSV of XLSX."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument(
            "--dry-run", action="store_true", help="Alleen controleren en tonen wat er verandert."
        )
        parser.add_argument(
            "--deactivate-missing",
            action="store_true",
            help="Accounts met een rol en werkgebied uit het bestand die er niet in staan "
            "deactiveren (nooit verwijderen).",
        )

    def handle(self, *args, file: str, dry_run: bool, deactivate_missing: bool, **options):
        if not os.path.isfile(file):
            raise CommandError(f"Bestand niet gevonden: {file}")
        try:
            check = staff.read_staff_file(file)
        except ImportRefused as refused:
            raise CommandError(str(refused)) from None
        self.stdout.write(
            f"Medewerkersbestand {os.path.basename(file)}: {check.label}, {check.total} rij(en)."
        )
        if not check.ok:
            for line in error_lines(check.errors):
                self.stderr.write(line)
            raise CommandError(refused_message(len(check.errors)))
        plan = staff.plan_staff(check)
        missing_label = (
            "niet in het bestand, te deactiveren"
            if deactivate_missing
            else "niet in het bestand (blijven actief)"
        )
        for line in count_lines(
            [
                ("nieuw (krijgen een uitnodiging)", len(plan.new)),
                ("gewijzigd", len(plan.changed)),
                ("ongewijzigd", len(plan.unchanged)),
                (missing_label, len(plan.missing)),
            ]
        ):
            self.stdout.write(line)
        for change in plan.changed:
            self.stdout.write(f"  gewijzigd: {change.user.email} ({', '.join(change.changes)})")
        for user in plan.missing:
            self.stdout.write(f"  niet in het bestand: {user.email} ({user.get_role_display()})")
        if plan.missing and not deactivate_missing:
            self.stdout.write(
                "Gebruik --deactivate-missing om de accounts die niet in het bestand staan te "
                "deactiveren; ze worden nooit verwijderd."
            )
        if dry_run:
            self.stdout.write("Proefdraai: er is niets gewijzigd en er is geen mail verstuurd.")
            return
        result = staff.apply_staff(
            check, by=None, deactivate_missing=deactivate_missing, source="opdrachtregel"
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Klaar: {len(result.created)} nieuw, {len(result.changed)} gewijzigd, "
                f"{result.unchanged} ongewijzigd, {len(result.deactivated)} gedeactiveerd."
            )
        )
