"""`python manage.py import_members FILE [--mode strict|valid-rows|snapshot] [--dry-run]`.

Runs the same checks and the same set-based apply as the portal's background import, prints
the same report, and exits 1 when nothing was applied (refused, or rows rejected in strict or
snapshot mode). A dry run only checks and prints what would change (exit 0 when it could be
applied). The file itself is left where it is.
"""

from __future__ import annotations

import os

from django.core.management.base import BaseCommand, CommandError

from members import services
from members.importing import can_apply, report_lines
from members.models import ImportMode, ImportStatus, MemberImport


class Command(BaseCommand):
    help = "Importeer leden uit een CSV- of XLSX-bestand van de ledenadministratie."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--mode", choices=ImportMode.values, default=ImportMode.STRICT)
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args, file: str, mode: str, dry_run: bool, **options):
        if not os.path.isfile(file):
            raise CommandError(f"Bestand niet gevonden: {file}")
        member_import = services.import_create(
            user=None,
            source="command",
            file_name=os.path.basename(file),
            file_path=os.path.abspath(file),
            mode=mode,
            dry_run=dry_run,
            detail=f"opdrachtregel, {mode}",
        )
        member_import = services.import_check(member_import=member_import)
        applied = False
        if member_import.status == ImportStatus.PREVIEWED:
            if dry_run:
                reason = can_apply(member_import)
                if reason:
                    member_import.message = reason
                member_import.status = ImportStatus.REFUSED if reason else ImportStatus.PREVIEWED
                self._print(member_import)
                services.import_finish(
                    member_import=member_import,
                    status=ImportStatus.REFUSED if reason else ImportStatus.CANCELLED,
                    message=reason or "Proefdraai: niets verwerkt.",
                )
                if reason:
                    raise CommandError("Er zou niets worden verwerkt.")
                return
            member_import = services.import_apply(member_import=member_import)
            applied = member_import.status == ImportStatus.DONE
        self._print(member_import)
        if not applied:
            raise CommandError("Er is niets verwerkt.")

    def _print(self, member_import: MemberImport) -> None:
        for line in report_lines(member_import):
            self.stdout.write(line)
