"""Retention and erasure for career appointments (called by fnvregio.tasks / members.erasure)."""

from __future__ import annotations

from datetime import datetime, timedelta

from loopbaan.models import Appointment, AppointmentReport


def apply_retention(*, now: datetime, days: dict[str, int]) -> dict[str, int]:
    """Blank the free text of appointments and reports past their period; the career question,
    referrals and status stay for the counts."""
    cutoff = now - timedelta(days=days["appointment_reports"])
    reports = (
        AppointmentReport.objects.filter(appointment__starts_at__lt=cutoff)
        .exclude(notes="")
        .update(notes="")
    )
    questions = (
        Appointment.objects.filter(starts_at__lt=cutoff).exclude(question="").update(question="")
    )
    return {"appointment_reports_blanked": reports, "appointment_questions_blanked": questions}


def erase_member(*, member) -> dict[str, int]:
    reports = (
        AppointmentReport.objects.filter(appointment__member=member)
        .exclude(notes="")
        .update(notes="")
    )
    questions = Appointment.objects.filter(member=member).exclude(question="").update(question="")
    return {"appointment_reports_blanked": reports, "appointment_questions_blanked": questions}
