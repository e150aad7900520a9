"""Figures this app gives to a region's data panel (collected by fnvregio.registry.region_panel).

Aggregates only, never personal data; no figure below the minimum group size is shown
(fnvregio.figures). Themes overlap (a session can have several), so they are no split of the
sessions; a theme below the minimum is left out.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from core.figures import min_group_size, shown
from signals.models import ACTIVE_STATUSES, ConsultationSession, Signal, ThemeDayCount


def _as_date(value) -> dt.date:
    if isinstance(value, dt.datetime):
        return timezone.localdate(value) if timezone.is_aware(value) else value.date()
    return value


def region_panel(region, *, since, until) -> dict:
    """Sessions per theme (the period given, normally the last 12 months) and signals."""
    since, until = _as_date(since), _as_date(until)
    minimum = min_group_size()
    sessions = ConsultationSession.objects.filter(
        region=region, day__gte=since, day__lte=until
    ).count()
    figures: list[list] = [[_("Spreekuurgesprekken"), shown(sessions)]]
    if sessions >= minimum:
        per_theme = (
            ThemeDayCount.objects.filter(region=region, day__gte=since, day__lte=until)
            .values_list("theme__name")
            .annotate(n=Sum("count"))
            .order_by("-n", "theme__name")
        )
        for name, n in per_theme:
            if n >= minimum:
                figures.append([_("Thema: %(theme)s") % {"theme": name}, int(n)])
    in_region = Signal.objects.filter(
        Q(region=region) | Q(sessions__region=region), opened_at__date__lte=until
    ).distinct()
    figures.append([_("Open signalen"), in_region.filter(status__in=ACTIVE_STATUSES).count()])
    figures.append(
        [
            _("Afgesloten signalen in de periode"),
            in_region.filter(status="closed", ended_at__date__gte=since).count(),
        ]
    )
    return {"title": _("Spreekuren en signalen"), "figures": figures}
