"""Retention of the audit log itself."""

from __future__ import annotations

from datetime import datetime, timedelta

from audit.models import AuditEntry


def apply_retention(*, now: datetime, days: dict[str, int]) -> dict[str, int]:
    deleted, _ = AuditEntry.objects.filter(
        at__lt=now - timedelta(days=days["audit_entries"])
    ).delete()
    return {"audit_entries_deleted": deleted}
