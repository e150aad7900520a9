"""The mails of the regioplannen. No plan text goes into a mail: only a link to the plan."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.urls import reverse

from core.mail import send_templated_mail
from members.models import User
from plans.models import PlanReminder, PlanStatus, RegionPlan, ReminderKind
from plans.selectors import (
    overdue_plans,
    region_coordinators,
    region_officials,
    regions_not_started,
)
from regions.models import Region


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
    officials_template = {
        ReminderKind.DEADLINE: "deadline_reminder",
        ReminderKind.OVERDUE: "overdue_reminder",
        ReminderKind.CHANGES_WAITING: "changes_waiting",
    }.get(ReminderKind(reminder.kind))
    if officials_template:
        recipients = [user.email for user in region_officials(plan.region_id)]
        return _send(officials_template, plan, recipients)
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


def send_not_started(region: Region, year: int) -> int:
    """To the regional officials of a region without a plan for `year` (to its coordinators
    when it has no official)."""
    users = list(region_officials(region.pk)) or list(region_coordinators(region.pk))
    if not users:
        return 0
    send_templated_mail(
        "plans/mail/not_started",
        {"region": region, "year": year, "link": settings.SITE_URL + reverse("plans:start")},
        [user.email for user in users],
    )
    return len(users)


def digest_items(user: User, *, today: dt.date) -> dict[str, list]:
    """What awaits a coordinator: plans to review, late plans and regions without a plan."""
    return {
        "to_review": list(
            RegionPlan.objects.awaiting_review_by(user)
            .select_related("region")
            .order_by("status_changed_at")
        ),
        "overdue": list(
            overdue_plans(today).filter(region__in=user.regions.all()).select_related("region")
        ),
        "not_started": list(regions_not_started(today).filter(pk__in=user.regions.all())),
    }


def send_digest(user: User, *, today: dt.date) -> int:
    """The coordinator's weekly overview; nothing is sent when nothing waits. Returns the
    number of items."""
    items = digest_items(user, today=today)
    count = sum(len(rows) for rows in items.values())
    if count:
        send_templated_mail(
            "plans/mail/coordinator_digest",
            {
                **items,
                "user": user,
                "link": settings.SITE_URL + reverse("plans:overview"),
                "next_year": today.year + 1,
            },
            [user.email],
        )
    return count
