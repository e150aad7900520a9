"""`python manage.py import_members FILE [--mode strict|valid-rows|snapshot] [--dry-run]`.

Runs the same checks and the same set-based apply as the portal's background import, prints
the same report, and exits 1 when nothing was applied (refused, or rows rejected in strict or
snapshot mode). A dry run only checks and prints what would change (exit 0 when it could be
applied). The file itself is left where it is.
"""

from __future__ import annotations

import os

from django.core.management.base import BaseCommand, CommandError

from audit.models import AuditAction
from audit.services import audit_log
from members.importing import apply_import, can_apply, drop_staging, report_lines, validate_import
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
        member_import = MemberImport.objects.create(
            file_name=os.path.basename(file),
            file_path=os.path.abspath(file),
            mode=mode,
            dry_run=dry_run,
            source="command",
        )
        audit_log(action=AuditAction.IMPORT, obj=member_import, detail=f"opdrachtregel, {mode}")
        member_import = validate_import(member_import)
        applied = False
        if member_import.status == ImportStatus.PREVIEWED:
            if dry_run:
                reason = can_apply(member_import)
                drop_staging(member_import)
                if reason:
                    member_import.message = reason
                member_import.status = ImportStatus.REFUSED if reason else ImportStatus.PREVIEWED
                self._print(member_import)
                MemberImport.objects.filter(pk=member_import.pk).update(
                    status=ImportStatus.REFUSED if reason else ImportStatus.CANCELLED,
                    message=reason or "Proefdraai: niets verwerkt.",
                    file_path="",
                )
                if reason:
                    raise CommandError("Er zou niets worden verwerkt.")
                return
            member_import = apply_import(member_import)
            applied = member_import.status == ImportStatus.DONE
        self._print(member_import)
        if not applied:
            raise CommandError("Er is niets verwerkt.")

    def _print(self, member_import: MemberImport) -> None:
        for line in report_lines(member_import):
            self.stdout.write(line)
