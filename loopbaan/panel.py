"""Figures this app gives to a region's data panel (collected by fnvregio.registry.region_panel).

Aggregates only, never personal data. The total of appointments held is shown as it is; the
figures that are part of it (online, referred) are hidden when they or the rest of the total
are below the minimum group size, and no-shows read "minder dan N" below it
(fnvregio.figures), so no small group can be singled out or worked out by subtraction.
"""

from __future__ import annotations

from datetime import date, datetime, time

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from core.figures import part_of, shown
from loopbaan.models import Appointment, AppointmentStatus, Referral
from loopbaan.slots import local_tz


def _moment(value) -> datetime:
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime.combine(value, time(), local_tz())
    raise TypeError(f"since/until must be a date or datetime, not {type(value)!r}")


def region_panel(region, *, since, until) -> dict:
    in_period = Appointment.objects.filter(
        region=region, starts_at__gte=_moment(since), starts_at__lt=_moment(until)
    )
    figures = in_period.aggregate(
        held=Count("pk", filter=Q(status=AppointmentStatus.HELD)),
        no_show=Count("pk", filter=Q(status=AppointmentStatus.NO_SHOW)),
        cancelled=Count("pk", filter=Q(status=AppointmentStatus.CANCELLED)),
        online=Count("pk", filter=Q(status=AppointmentStatus.HELD, union_house__isnull=True)),
        trajectory=Count(
            "pk",
            filter=Q(
                status=AppointmentStatus.HELD, report__referrals__contains=[Referral.TRAJECTORY]
            ),
        ),
    )
    return {
        "title": _("Loopbaan FNV"),
        "figures": [
            [_("Loopbaanafspraken gehouden"), figures["held"]],
            # Parts of the appointments held: the rest (in person, not referred) is the total
            # minus the part, so both sides are protected.
            [_("waarvan online"), part_of(figures["online"], figures["held"])],
            [
                _("Doorverwezen naar een individueel traject"),
                part_of(figures["trajectory"], figures["held"]),
            ],
            [_("Lid niet verschenen"), shown(figures["no_show"])],
            [_("Geannuleerd"), figures["cancelled"]],
        ],
    }
