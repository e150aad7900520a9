"""The invitation mails of collective cases, each sent once (the invitation is its sent mark)."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.urls import reverse

from casework.models import CaseInvitation
from core.claims import handle_once_in_batches
from core.mail import send_templated_mail


def _mail_invitation(invitation: CaseInvitation) -> None:
    member = invitation.member
    address = member.email or (member.user.email if member.user else "")
    # The mail names the case and its employer, never another member.
    send_templated_mail(
        "casework/mail/invitation",
        {
            "first_name": member.first_name or member.display_name,
            "case": invitation.case.name,
            "employer": str(invitation.case.employer),
            "url": settings.SITE_URL.rstrip("/")
            + reverse("casework:invitation", kwargs={"token": invitation.token}),
        },
        [address] if address else [],
    )


@shared_task(name="casework.send_invitation_mails", ignore_result=True, time_limit=300)
def send_invitation_mails(case_pk: int) -> int:
    return handle_once_in_batches(
        CaseInvitation.objects.filter(case_id=case_pk)
        .select_related("member__user", "case__employer")
        .order_by("pk"),
        mark="emailed_at",
        handle=_mail_invitation,
    )
