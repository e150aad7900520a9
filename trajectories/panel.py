"""Figures this app gives to a region's data panel (collected by fnvregio.registry.region_panel).

Aggregates only, never personal data; outcomes are broken down only for a group of at least
settings.FNV["MIN_GROUP_SIZE"] trajectories, and a smaller cell shows "minder dan N".
"""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext as _

from trajectories.selectors import min_group_size, shown


def region_panel(region, *, since, until) -> dict:
    from trajectories.models import OutcomeKind, Trajectory

    in_region = Trajectory.objects.filter(region=region)
    started = in_region.filter(started_on__gte=since, started_on__lte=until).count()
    running = (
        in_region.filter(started_on__lte=until)
        .filter(Q(ended_at__isnull=True) | Q(ended_at__date__gt=until))
        .count()
    )
    ended = in_region.filter(ended_at__date__gte=since, ended_at__date__lte=until)
    ended_count = ended.count()
    figures: list[list] = [
        [_("Trajecten gestart"), started],
        [_("Trajecten lopend aan het eind van de periode"), running],
        [_("Trajecten beëindigd"), ended_count],
    ]
    if ended_count >= min_group_size():
        new_job = ended.filter(outcome__kind=OutcomeKind.NEW_JOB).count()
        figures += [
            [_("Beëindigd met een nieuwe baan"), shown(new_job)],
            [
                _("Beëindigd met een opleiding"),
                shown(ended.filter(outcome__kind=OutcomeKind.TRAINING).count()),
            ],
        ]
        if new_job >= min_group_size():
            figures += [
                [
                    _("Nieuwe baan met vast contract"),
                    shown(
                        ended.filter(
                            outcome__kind=OutcomeKind.NEW_JOB, outcome__contract_kind="permanent"
                        ).count()
                    ),
                ],
                [
                    _("Nieuwe baan onder een cao"),
                    shown(
                        ended.filter(
                            outcome__kind=OutcomeKind.NEW_JOB, outcome__under_cao=True
                        ).count()
                    ),
                ],
            ]
    cases = region.collective_cases.filter(announced_on__lte=until).count()
    figures.append([_("Collectieve zaken"), cases])
    return {"title": _("Trajecten en Van Werk Naar Werk"), "figures": figures}
