"""Figures this app gives to a region's data panel (collected by fnvregio.registry.region_panel).

Aggregates only, never personal data; outcomes are broken down only for a group of at least
settings.FNV["MIN_GROUP_SIZE"] trajectories, with the complementary suppression of
fnvregio.figures (no hidden part can be worked out from the total).
"""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext as _

from core.figures import hidden_text, min_group_size, part_of, suppress
from trajectories.models import OutcomeKind, Trajectory


def region_panel(region, *, since, until) -> dict:
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
        training = ended.filter(outcome__kind=OutcomeKind.TRAINING).count()
        # A split of the ended trajectories (the other outcomes, not shown, are the remainder
        # of the total): no hidden part can be worked out from the total minus the others.
        outcomes = suppress(
            [
                (_("Beëindigd met een nieuwe baan"), new_job),
                (_("Beëindigd met een opleiding"), training),
            ],
            total=ended_count,
        )
        figures += [
            [cell.label, hidden_text() if cell.suppressed else cell.count] for cell in outcomes
        ]
        # A hidden figure is not broken down further.
        if not outcomes[0].suppressed and new_job >= min_group_size():
            permanent = ended.filter(
                outcome__kind=OutcomeKind.NEW_JOB, outcome__contract_kind="permanent"
            ).count()
            cao = ended.filter(outcome__kind=OutcomeKind.NEW_JOB, outcome__under_cao=True).count()
            figures += [
                [_("Nieuwe baan met vast contract"), part_of(permanent, new_job)],
                [_("Nieuwe baan onder een cao"), part_of(cao, new_job)],
            ]
    cases = region.collective_cases.filter(announced_on__lte=until).count()
    figures.append([_("Collectieve zaken"), cases])
    return {"title": _("Trajecten en Van Werk Naar Werk"), "figures": figures}
