"""Figures this app gives to a region's data panel (collected by fnvregio.registry.region_panel).

Aggregates only, never personal data. The total of appointments held is shown as it is; the
figures that break it down (no-shows, referrals) are shown as "< N" below the minimum group
size, so no small group can be singled out.
"""

from __future__ import annotations

from datetime import date, datetime, time

from django.conf import settings
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from loopbaan.models import Appointment, AppointmentStatus, Referral
from loopbaan.slots import local_tz


def _moment(value) -> datetime:
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime.combine(value, time(), local_tz())
    raise TypeError(f"since/until must be a date or datetime, not {type(value)!r}")


def _breakdown(count: int) -> int | str:
    minimum = settings.FNV.get("MIN_GROUP_SIZE", 3)
    return count if count == 0 or count >= minimum else f"< {minimum}"


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
            [_("waarvan online"), _breakdown(figures["online"])],
            [_("Doorverwezen naar een individueel traject"), _breakdown(figures["trajectory"])],
            [_("Lid niet verschenen"), _breakdown(figures["no_show"])],
            [_("Geannuleerd"), figures["cancelled"]],
        ],
    }
