"""The member's rights for this app's data: what a data download holds (erasure: retention.py).

Plain functions for the members app (or its registry) to call; they never import from there.
"""

from __future__ import annotations

from django.utils import timezone

from loopbaan.models import Appointment, AppointmentReport


def export_member(member) -> dict:
    """Everything this app holds about one member, JSON-serialisable. Consultants are named
    by role only: their identities are not the member's data."""
    appointments = []
    for appointment in Appointment.objects.filter(member=member).select_related("union_house"):
        report = AppointmentReport.objects.filter(appointment=appointment).first()
        appointments.append(
            {
                "starts_at": timezone.localtime(appointment.starts_at).isoformat(),
                "place": appointment.place_label,
                "status": appointment.get_status_display(),
                "question": appointment.question,
                "report": {
                    "career_question": report.get_career_question_display(),
                    "referrals": report.referral_labels(),
                    "no_show": report.get_no_show_display(),
                    "notes": report.notes,
                }
                if report
                else None,
            }
        )
    return {"loopbaanafspraken": appointments}
