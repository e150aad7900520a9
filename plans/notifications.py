"""The mails of the regioplannen. No plan text goes into a mail: only a link to the plan."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from core.mail import send_templated_mail
from plans.models import PlanReminder, PlanStatus, RegionPlan, ReminderKind
from plans.selectors import region_coordinators, region_officials


def _link(plan: RegionPlan) -> str:
    return settings.SITE_URL + reverse("plans:detail", kwargs={"pk": plan.pk})


def _send(template: str, plan: RegionPlan, recipients: list[str]) -> int:
    """One mail to the recipients; returns how many it went to."""
    if not recipients:
        return 0
    send_templated_mail(f"plans/mail/{template}", {"plan": plan, "link": _link(plan)}, recipients)
    return len(recipients)


def send_reminder(reminder: PlanReminder) -> int:
    """Send one reminder; returns the number of recipients."""
    plan = reminder.plan
    if reminder.kind == ReminderKind.DEADLINE:
        recipients = [user.email for user in region_officials(plan.region_id)]
        return _send("deadline_reminder", plan, recipients)
    authors = plan.author_ids()
    recipients = [
        user.email for user in region_coordinators(plan.region_id) if user.pk not in authors
    ]
    return _send("review_waiting", plan, recipients)


def send_status_mail(plan: RegionPlan) -> int:
    """Tell the other side that it is their turn."""
    if plan.status in (PlanStatus.SUBMITTED, PlanStatus.RESUBMITTED):
        authors = plan.author_ids()
        recipients = [u.email for u in region_coordinators(plan.region_id) if u.pk not in authors]
        return _send("submitted", plan, recipients)
    if plan.status == PlanStatus.CHANGES_REQUESTED:
        return _send("changes_requested", plan, [u.email for u in region_officials(plan.region_id)])
    if plan.status == PlanStatus.APPROVED:
        return _send("approved", plan, [u.email for u in region_officials(plan.region_id)])
    return 0
