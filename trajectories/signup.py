"""Sign-up for a career trajectory through the public form, by members and non-members.

The form asks little (name, e-mail, phone if wanted, postcode, membership number if the visitor
is a member, a short question) and an explicit consent for this one purpose. The sign-up lands
in the intake queue of the region of the postcode, like any other request. Duplicate detection
(an existing member, an open request, a running trajectory) is written on the sign-up for the
adviser and never shown to the visitor: the answer page and the mail are the same for everyone.

A rate limit per client address and per e-mail address keeps the queue from being flooded.
Unhandled sign-ups are deleted after `PUBLIC_SIGNUP_RETENTION_DAYS` (trajectories.retention).
"""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass

from celery import shared_task
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import AuditAction
from audit.services import audit_log
from core.conf import feature_setting
from core.mail import send_templated_mail
from members.models import Member, User
from regions.models import PostcodeArea, Region
from trajectories.models import (
    FINISHED_STATUSES,
    ConsentSource,
    IntakeRequest,
    IntakeSource,
    IntakeStatus,
    Participant,
    PublicSignup,
    Trajectory,
)

# The consent the visitor ticks, stored with the sign-up as it was shown.
CONSENT_TEXT = (
    "Ik geef de FNV toestemming om deze gegevens te gebruiken om mij te helpen met een "
    "loopbaantraject, en voor niets anders. Als er binnen de bewaartermijn niets mee gebeurt, "
    "worden ze verwijderd."
)

RATE_PER_ADDRESS = 5  # sign-ups per client address per hour
RATE_PER_EMAIL = 3  # sign-ups per e-mail address per day


@dataclass(frozen=True)
class SignupData:
    first_name: str
    last_name: str
    email: str
    phone: str
    postcode: str  # normalised: "1234 AB"
    says_member: bool
    member_number: str
    question: str


def region_for_postcode(postcode: str) -> Region | None:
    area = (
        PostcodeArea.objects.filter(pc4=postcode[:4]).select_related("municipality__region").first()
    )
    return area.municipality.region if area else None


def _hashed(value: str) -> str:
    return hashlib.sha256(value.strip().lower().encode()).hexdigest()[:32]


def rate_limited(*, address: str, email: str) -> bool:
    """Count this attempt; True when the address or the e-mail address has used up its
    allowance. The keys hold hashes, never the addresses themselves."""
    limits = (
        (f"signup:addr:{_hashed(address)}", RATE_PER_ADDRESS, 3600),
        (f"signup:mail:{_hashed(email)}", RATE_PER_EMAIL, 86400),
    )
    over = False
    for key, limit, seconds in limits:
        cache.add(key, 0, seconds)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, seconds)
            count = 1
        over = over or count > limit
    return over


def _find_duplicates(
    data: SignupData, *, member: Member | None
) -> tuple[Member | None, IntakeRequest | None, list[str]]:
    """What the adviser should know: a member this may be, an open request for the same
    person, a trajectory already running."""
    notes: list[str] = []
    possible = member
    if possible is None:
        possible = (
            Member.objects.filter(erased_at__isnull=True)
            .filter(Q(email__iexact=data.email) | Q(user__email__iexact=data.email))
            .first()
        )
        if possible is not None:
            notes.append(_("Het e-mailadres hoort bij een lid."))
    if possible is None and data.member_number:
        possible = Member.objects.filter(
            member_number=data.member_number, postcode=data.postcode, erased_at__isnull=True
        ).first()
        if possible is not None:
            notes.append(_("Lidnummer en postcode horen bij een lid."))
    if data.says_member and possible is None:
        notes.append(
            _("Zegt lid te zijn, maar geen lid gevonden met dit e-mailadres of lidnummer.")
        )
    open_requests = IntakeRequest.objects.filter(status=IntakeStatus.OPEN)
    person = Q(participant__email__iexact=data.email)
    if possible is not None:
        person |= Q(member=possible)
    duplicate = open_requests.filter(person).order_by("created_at").first()
    if duplicate is not None:
        notes.append(_("Er wacht al een aanvraag voor dezelfde persoon."))
    running = Trajectory.objects.exclude(status__in=FINISHED_STATUSES).filter(
        Q(participant__email__iexact=data.email)
        | (Q(member=possible) if possible is not None else Q(pk__in=[]))
    )
    if running.exists():
        notes.append(_("Deze persoon heeft al een lopend traject."))
    return possible, duplicate, notes


@transaction.atomic
def public_signup_create(
    *, data: SignupData, member_user: User | None = None, now: datetime.datetime | None = None
) -> PublicSignup:
    """Put a sign-up in the intake queue of the postcode's region. `member_user`: the visitor
    is logged in as a member, and the request is theirs (no guessing needed)."""
    now = now or timezone.now()
    region = region_for_postcode(data.postcode)
    if region is None:
        raise ValidationError(
            {"postcode": _("Deze postcode kennen we niet. Controleer de vier cijfers.")}
        )
    member = getattr(member_user, "member", None) if member_user is not None else None
    possible, duplicate, notes = _find_duplicates(data, member=member)
    participant = None
    if member is None:
        participant = Participant(
            first_name=data.first_name,
            last_name=data.last_name,
            email=data.email,
            phone=data.phone,
            consent_at=now,
            consent_source=ConsentSource.PUBLIC_FORM,
            region=region,
        )
        participant.full_clean(exclude=["created_by"])  # nobody on staff: the visitor
        participant.save()
    request = IntakeRequest(
        region=region,
        member=member,
        participant=participant,
        source=IntakeSource.PUBLIC_SIGNUP,
        note=data.question,
    )
    request.full_clean(exclude=["created_by", "taken_by"])
    request.save()
    signup = PublicSignup.objects.create(
        intake_request=request,
        postcode=data.postcode,
        says_member=data.says_member or member is not None,
        member_number=data.member_number,
        consent_at=now,
        consent_text=CONSENT_TEXT,
        possible_member=possible,
        duplicate_of=duplicate,
        duplicate_notes=" ".join(notes)[:500],
    )
    audit_log(
        user=member_user,
        action=AuditAction.CREATE,
        obj=request,
        subject_member_id=possible.pk if possible is not None else None,
        detail="aanmelding via de website",
    )
    send_public_signup_mail.delay_on_commit(signup.pk)  # type: ignore[attr-defined]  # celery-types: shared_task gives Task, Django's app makes DjangoTask
    return signup


@shared_task(
    name="trajectories.send_public_signup_mail",
    ignore_result=True,
    time_limit=60,
    soft_time_limit=50,
)
def send_public_signup_mail(signup_pk: int) -> bool:
    """The confirmation: the same words for members and non-members, duplicates or not."""
    signup = (
        PublicSignup.objects.select_related(
            "intake_request__participant", "intake_request__member__user", "intake_request__region"
        )
        .filter(pk=signup_pk)
        .first()
    )
    if signup is None:
        return False
    request = signup.intake_request
    person = request.participant or request.member
    if person is None:
        return False
    email = person.email or (
        request.member.user.email if request.member and request.member.user else ""
    )
    send_templated_mail(
        "trajectories/mail/public_signup",
        {
            "first_name": getattr(person, "first_name", "") or person.display_name,
            "region": request.region.name,
            "retention_days": retention_days(),
            "site": settings.SITE_URL.rstrip("/") + reverse("home"),
        },
        [email] if email else [],
    )
    return True


def retention_days() -> int:
    return int(feature_setting("PUBLIC_SIGNUP_RETENTION_DAYS", 90))


def delete_unhandled(*, now: datetime.datetime) -> int:
    """Public sign-ups nobody took on within the period go, with their non-member's data.
    Taken ones became trajectories and follow the trajectories' rules."""
    cutoff = now - datetime.timedelta(days=retention_days())
    stale = IntakeRequest.objects.filter(
        source=IntakeSource.PUBLIC_SIGNUP,
        status__in=[IntakeStatus.OPEN, IntakeStatus.WITHDRAWN],
        created_at__lt=cutoff,
    )
    participant_ids = list(stale.exclude(participant=None).values_list("participant_id", flat=True))
    count = stale.count()
    stale.delete()
    # A non-member created by the form has nothing else: no trajectory, no other request.
    Participant.objects.filter(
        pk__in=participant_ids, trajectories=None, intake_requests=None
    ).delete()
    return count
