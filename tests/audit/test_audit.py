import pytest
from django.db import DatabaseError, transaction

from audit.models import AuditAction, AuditEntry
from audit.services import audit_log


@pytest.mark.django_db
def test_it_records_who_did_what_to_which_object(cast, rf):
    request = rf.get("/leden/1/", REMOTE_ADDR="192.0.2.7")
    request.user = cast.admin
    entry = audit_log(
        request=request, action=AuditAction.VIEW, obj=cast.member, subject_member_id=cast.member.pk
    )
    entry.refresh_from_db()
    assert entry.actor == cast.admin
    assert entry.actor_role == "admin"
    assert entry.object_type == "members.member"
    assert entry.object_id == str(cast.member.pk)
    assert entry.ip_address == "192.0.2.7"


@pytest.mark.django_db
def test_it_refuses_to_change_an_audit_row(cast):
    entry = audit_log(
        user=cast.admin, action=AuditAction.EXPORT, object_type="members.member", object_id="*"
    )
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).update(detail="rewritten")
    entry.refresh_from_db()
    assert entry.detail == ""


@pytest.mark.django_db
def test_it_rejects_an_unknown_action(cast):
    with pytest.raises(ValueError):
        audit_log(user=cast.admin, action="peek", object_type="members.member")
