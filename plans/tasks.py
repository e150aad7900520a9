"""Background work of the regioplannen: status mails and the reminder run."""

from __future__ import annotations

from celery import shared_task

from plans.models import RegionPlan
from plans.notifications import send_status_mail
from plans.reminders import reminders_create_due, reminders_send_due


@shared_task(
    name="plans.tasks.notify_status_change", ignore_result=True, soft_time_limit=50, time_limit=60
)
def notify_status_change(plan_id: int, status: str) -> int:
    """Mail the other side of the workflow; skipped when the plan has moved on since."""
    plan = RegionPlan.objects.select_related("region").filter(pk=plan_id, status=status).first()
    if plan is None:
        return 0
    return send_status_mail(plan)


@shared_task(
    name="plans.tasks.send_reminders", ignore_result=True, soft_time_limit=280, time_limit=300
)
def send_reminders() -> int:
    """Beat: make the reminder rows that are due and send each one exactly once."""
    reminders_create_due()
    return reminders_send_due()
