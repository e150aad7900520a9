"""Erasure on request (AVG article 17): remove a member's personal data everywhere.

The member row stays, stripped of everything personal, so that counts by region, sector and
status (and the sessions, appointments and trajectories that refer to it) stay right. The
member number is kept only as a keyed one-way hash in ErasedMember, so a later import cannot
bring the member back without saying so. Each app removes its own personal data through its
erasure handler, declared in its apps.py (`core.registry`).

The audit trail keeps its rows: it refers to the deleted account by its number only (no
foreign key constraint, so deleting an account never touches the append-only table), and to
the member by the member row's id, which now holds nothing personal. Both are pseudonyms.
Beyond the apps' own rows, erasure reaches what Django and the import keep: the Django
admin's history (its `object_repr` is the member's name and number), the import's rejected-row
reasons (they quote the file's values), correction requests, and the member's login sessions.
"""

from __future__ import annotations

from importlib import import_module

from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import AuditAction
from audit.services import audit_log
from core import registry
from members.models import CorrectionRequest, ErasedMember, Member, MemberImportError, User

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
def member_erase(*, member: Member, actor: User) -> dict[str, int]:
    member = Member.objects.select_for_update().get(pk=member.pk)
    if member.erased_at is not None:
        raise ValidationError(_("Dit lid is al gewist."))
    report: dict[str, int] = {}
    report.update(registry.erase_member(member=member))
    report.update(_scrub_admin_log(member=member))
    report["import_reasons_blanked"] = _scrub_import_reasons(member=member)
    report["correction_requests_blanked"] = (
        CorrectionRequest.objects.filter(member=member).exclude(text="").update(text="")
    )
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
        report["login_sessions_ended"] = _end_sessions(user_id=user.pk)
        user.delete()  # the login, its email addresses and authenticators go with it
    audit_log(
        user=actor,
        action=AuditAction.ERASE,
        object_type="members.member",
        object_id=member.pk,
        subject_member_id=member.pk,
    )
    return report


def _scrub_admin_log(*, member: Member) -> dict[str, int]:
    """The Django admin's history names the object it changed (`object_repr`: name and member
    number). The rows stay, so the history still shows that the record was changed."""
    member_type = ContentType.objects.get_for_model(Member)
    user_type = ContentType.objects.get_for_model(User)
    about = Q(content_type=member_type, object_id=str(member.pk))
    if member.user_id is not None:
        about |= Q(content_type=user_type, object_id=str(member.user_id))
    changed = LogEntry.objects.filter(about).update(object_repr=_("(gewist)"))
    return {"admin_history_blanked": changed}


def _scrub_import_reasons(*, member: Member) -> int:
    """Rejected-row reasons quote the file's values (a malformed e-mail address, a duplicated
    member number): the ones that quote this member's go."""
    values = [v for v in (member.member_number, member.email, member.phone) if v]
    if not values:
        return 0
    quoted = Q()
    for value in values:
        quoted |= Q(message__icontains=value)
    return MemberImportError.objects.filter(quoted).update(message=_("(gewist)"))


def _end_sessions(*, user_id: int) -> int:
    """Delete the member's login sessions: they hold the login's e-mail address (allauth's
    login records) and pending messages. Sessions have no user column, so the live ones are
    decoded; expired ones are purged first, as `clearsessions` would."""
    if settings.SESSION_ENGINE not in _DATABASE_SESSION_ENGINES:
        return 0  # the portal's settings; another engine needs its own way here
    Session.objects.filter(expire_date__lt=timezone.now()).delete()
    ended = []
    for session in Session.objects.only("session_key", "session_data").iterator(chunk_size=2000):
        if session.get_decoded().get("_auth_user_id") == str(user_id):
            ended.append(session.session_key)
    # The engine's own delete: cached_db also drops the copy in Redis, which would otherwise
    # keep the session alive until it expires there.
    store = import_module(settings.SESSION_ENGINE).SessionStore
    for session_key in ended:
        store(session_key).delete()
    return len(ended)


_DATABASE_SESSION_ENGINES = (
    "django.contrib.sessions.backends.db",
    "django.contrib.sessions.backends.cached_db",
    "fnvregio.sessions",
)
