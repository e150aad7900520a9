from datetime import timedelta

import pytest
from django.utils import timezone

from audit.models import AuditAction, AuditEntry
from audit.services import audit_log
from fnvregio.tasks import apply_retention

pytestmark = pytest.mark.django_db


def test_it_deletes_audit_entries_past_their_period_and_keeps_the_rest(cast, settings):
    """The log is append-only, so rather than ageing rows the test moves the clock forward."""
    from audit.retention import apply_retention as audit_retention

    days = {**settings.FNV_RETENTION_DAYS, "audit_entries": 30}
    first = audit_log(user=cast.admin, action=AuditAction.VIEW, obj=cast.member)
    second = audit_log(user=cast.admin, action=AuditAction.VIEW, obj=cast.member)
    assert audit_retention(now=timezone.now() + timedelta(days=29), days=days) == {
        "audit_entries_deleted": 0
    }
    assert audit_retention(now=timezone.now() + timedelta(days=31), days=days) == {
        "audit_entries_deleted": 2
    }
    assert not AuditEntry.objects.filter(pk__in=[first.pk, second.pk]).exists()


def test_it_records_what_it_did_in_the_audit_log(cast):
    apply_retention.apply().get()
    entry = AuditEntry.objects.filter(object_type="retention").latest("at")
    assert "audit_entries_deleted=0" in entry.detail


def test_retention_runs_nightly_from_beat(settings):
    assert settings.CELERY_BEAT_SCHEDULE["retention"]["task"] == "fnvregio.tasks.apply_retention"
