"""Retention and erasure for consultation sessions (called by fnvregio.tasks / members.erasure)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone

from signals.models import Consent, ConsultationSession


def apply_retention(*, now: datetime, days: dict[str, int]) -> dict[str, int]:
    """Blank session summaries past their period; the session, its themes and employer stay,
    so counts and signals are unchanged."""
    cutoff = now - timedelta(days=days["session_summaries"])
    blanked = (
        ConsultationSession.objects.filter(at__lt=cutoff).exclude(summary="").update(summary="")
    )
    return {"session_summaries_blanked": blanked}


def erase_member(*, member) -> dict[str, int]:
    sessions = ConsultationSession.objects.filter(member=member)
    blanked = sessions.exclude(summary="").update(summary="")
    withdrawn = Consent.objects.filter(member=member, withdrawn_at__isnull=True).update(
        withdrawn_at=timezone.now()
    )
    unlinked = sessions.update(member=None)  # still counted as a member's session (is_member)
    return {
        "sessions_blanked": blanked,
        "sessions_unlinked": unlinked,
        "consents_withdrawn": withdrawn,
    }
