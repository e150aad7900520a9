"""The mails of the regioplannen. No plan text goes into a mail: only a link to the plan."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _

from plans.models import PlanReminder, PlanStatus, RegionPlan, ReminderKind
from plans.selectors import region_coordinators, region_officials


def _link(plan: RegionPlan) -> str:
    return settings.SITE_URL + reverse("plans:detail", kwargs={"pk": plan.pk})


def _send(subject: str, body: str, recipients: list[str]) -> int:
    if not recipients:
        return 0
    send_mail(subject, body, None, recipients)
    return len(recipients)


def send_reminder(reminder: PlanReminder) -> int:
    """Send one reminder; returns the number of recipients."""
    plan = reminder.plan
    if reminder.kind == ReminderKind.DEADLINE:
        recipients = [user.email for user in region_officials(plan.region_id)]
        subject = _("Herinnering: regioplan %(year)s van %(region)s moet %(date)s klaar zijn") % {
            "year": plan.year,
            "region": plan.region.name,
            "date": formats.date_format(plan.deadline, "j F Y"),
        }
        body = _(
            "Het regioplan %(year)s van %(region)s is nog niet ingediend. De deadline is "
            "%(date)s.\n\nOpenen: %(link)s\n"
        ) % {
            "year": plan.year,
            "region": plan.region.name,
            "date": formats.date_format(plan.deadline, "j F Y"),
            "link": _link(plan),
        }
    else:
        authors = plan.author_ids()
        recipients = [
            user.email for user in region_coordinators(plan.region_id) if user.pk not in authors
        ]
        subject = _("Herinnering: regioplan %(year)s van %(region)s wacht op je beoordeling") % {
            "year": plan.year,
            "region": plan.region.name,
        }
        body = _(
            "Het regioplan %(year)s van %(region)s is ingediend en wacht al een tijd op een "
            "beoordeling.\n\nOpenen: %(link)s\n"
        ) % {"year": plan.year, "region": plan.region.name, "link": _link(plan)}
    return _send(subject, body, recipients)


def send_status_mail(plan: RegionPlan) -> int:
    """Tell the other side that it is their turn."""
    params = {"year": plan.year, "region": plan.region.name, "link": _link(plan)}
    if plan.status in (PlanStatus.SUBMITTED, PlanStatus.RESUBMITTED):
        authors = plan.author_ids()
        recipients = [u.email for u in region_coordinators(plan.region_id) if u.pk not in authors]
        subject = _("Regioplan %(year)s van %(region)s is ingediend") % params
        body = _("Het regioplan %(year)s van %(region)s wacht op je beoordeling.\n\n%(link)s\n")
    elif plan.status == PlanStatus.CHANGES_REQUESTED:
        recipients = [u.email for u in region_officials(plan.region_id)]
        subject = _("Wijzigingen gevraagd in regioplan %(year)s van %(region)s") % params
        body = _(
            "De regiocoördinator vraagt wijzigingen in het regioplan %(year)s van %(region)s. "
            "Bekijk de opmerkingen per onderdeel.\n\n%(link)s\n"
        )
    elif plan.status == PlanStatus.APPROVED:
        recipients = [u.email for u in region_officials(plan.region_id)]
        subject = _("Regioplan %(year)s van %(region)s is goedgekeurd") % params
        body = _("Het regioplan %(year)s van %(region)s is goedgekeurd.\n\n%(link)s\n")
    else:
        return 0
    return _send(subject, body % params, recipients)
