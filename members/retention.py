"""Retention for the member import (called nightly by fnvregio.tasks.apply_retention).

Rejected-row reports quote member numbers and values from the file, and an upload that is
somehow still on disk holds a whole member file: both go after the import-files period.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from members.importing import delete_upload
from members.models import MemberImport, MemberImportError


def apply_retention(*, now: datetime, days: dict[str, int]) -> dict[str, int]:
    cutoff = now - timedelta(days=days["import_files"])
    old_imports = MemberImport.objects.filter(created_at__lt=cutoff)
    uploads = 0
    for member_import in old_imports.exclude(file_path="", stored_name=""):
        delete_upload(member_import)
        uploads += 1
    rejected, _ = MemberImportError.objects.filter(member_import__in=old_imports).delete()
    return {"import_uploads_deleted": uploads, "import_rejected_rows_deleted": rejected}
