"""Erasure on request (AVG article 17): remove a member's personal data everywhere.

The member row stays, stripped of everything personal, so that counts by region, sector and
status (and the sessions, appointments and trajectories that refer to it) stay right. The
member number is kept only as a keyed one-way hash in ErasedMember, so a later import cannot
bring the member back without saying so. Each app removes its own personal data through its
`retention.erase_member(member=...)` handler (settings.FNV_ERASURE_HANDLERS).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from audit.models import AuditAction
from audit.services import audit_log
from members.models import ErasedMember, Member

PERSONAL_FIELDS = [
    "initials",
    "first_name",
    "name_prefix",
    "email",
    "phone",
    "street",
    "house_number",
    "postcode",
    "city",
]


@transaction.atomic
def member_erase(*, member: Member, actor, request=None) -> dict[str, int]:
    member = Member.objects.select_for_update().get(pk=member.pk)
    if member.erased_at is not None:
        raise ValidationError(_("Dit lid is al gewist."))
    report: dict[str, int] = {}
    for path in settings.FNV_ERASURE_HANDLERS:
        report.update(import_string(path)(member=member))
    ErasedMember.objects.get_or_create(number_hash=ErasedMember.hash_number(member.member_number))
    for field in PERSONAL_FIELDS:
        setattr(member, field, "")
    member.last_name = _("(gewist)")
    member.birth_date = None
    member.member_number = f"X{member.pk:09d}"[-10:]
    member.erased_at = timezone.now()
    user = member.user
    member.user = None
    member.save()
    if user is not None:
        user.delete()  # the login, its email addresses and authenticators go with it
    audit_log(
        request=request,
        user=actor,
        action=AuditAction.ERASE,
        object_type="members.member",
        object_id=member.pk,
        subject_member_id=member.pk,
    )
    return report
