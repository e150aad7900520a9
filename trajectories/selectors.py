"""Reads: aggregated figures of trajectories and their outcomes.

Counts only, never names. A group smaller than settings.FNV["MIN_GROUP_SIZE"] is not broken
down further, and a cell of a breakdown below that size shows "minder dan N" instead of the
number, so no one can be picked out of a small group.
"""

from __future__ import annotations

from collections import Counter

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from trajectories.models import (
    FINISHED_STATUSES,
    ContractKind,
    OutcomeKind,
    Trajectory,
    TrajectoryStatus,
)


def min_group_size() -> int:
    return int(settings.FNV["MIN_GROUP_SIZE"])


def shown(count: int) -> int | str:
    """A count in a breakdown: the number, or "minder dan N" when it could point at someone."""
    size = min_group_size()
    if 0 < count < size:
        return _("minder dan %(size)s") % {"size": size}
    return count


def outcome_figures(trajectories: QuerySet[Trajectory]) -> dict:
    """Figures of a group of trajectories: how many in intake, active and finished; of the
    finished, how many found work, in which sectors, with a permanent contract, under a cao."""
    status = trajectories.aggregate(
        total=Count("pk"),
        intake=Count("pk", filter=Q(status=TrajectoryStatus.INTAKE)),
        active=Count("pk", filter=Q(status=TrajectoryStatus.ACTIVE)),
        completed=Count("pk", filter=Q(status=TrajectoryStatus.COMPLETED)),
        stopped=Count("pk", filter=Q(status=TrajectoryStatus.STOPPED)),
        new_job=Count("pk", filter=Q(outcome__kind=OutcomeKind.NEW_JOB)),
        training=Count("pk", filter=Q(outcome__kind=OutcomeKind.TRAINING)),
        other=Count("pk", filter=Q(outcome__kind=OutcomeKind.OTHER)),
        none=Count("pk", filter=Q(outcome__kind=OutcomeKind.NONE)),
        permanent=Count(
            "pk",
            filter=Q(
                outcome__kind=OutcomeKind.NEW_JOB, outcome__contract_kind=ContractKind.PERMANENT
            ),
        ),
        cao=Count("pk", filter=Q(outcome__kind=OutcomeKind.NEW_JOB, outcome__under_cao=True)),
    )
    finished = status["completed"] + status["stopped"]
    size = min_group_size()
    figures = {
        "total": status["total"],
        "intake": status["intake"],
        "active": status["active"],
        "finished": finished,
        "broken_down": finished >= size,
        "outcomes": [],
        "new_job": None,
        "sectors": [],
        "permanent": None,
        "cao": None,
    }
    if finished < size:
        return figures
    figures["outcomes"] = [
        (OutcomeKind.NEW_JOB.label, shown(status["new_job"])),
        (OutcomeKind.TRAINING.label, shown(status["training"])),
        (OutcomeKind.OTHER.label, shown(status["other"])),
        (OutcomeKind.NONE.label, shown(status["none"])),
    ]
    figures["new_job"] = status["new_job"]
    if status["new_job"] >= size:
        figures["permanent"] = shown(status["permanent"])
        figures["cao"] = shown(status["cao"])
        sectors = Counter(
            name or _("onbekend")
            for name in trajectories.filter(
                status__in=FINISHED_STATUSES, outcome__kind=OutcomeKind.NEW_JOB
            ).values_list("outcome__sector__name", flat=True)
        )
        # Sectors below the group size are folded into one line, so none can be singled out.
        big = sorted(((n, c) for n, c in sectors.items() if c >= size), key=lambda x: -x[1])
        rest = sum(c for c in sectors.values() if c < size)
        figures["sectors"] = [(name, count) for name, count in big]
        if rest:
            figures["sectors"].append((_("overige sectoren"), shown(rest)))
    return figures


def figures_per_adviser(trajectories: QuerySet[Trajectory]) -> list[tuple[str, dict]]:
    advisers = (
        trajectories.values_list("adviser", "adviser__full_name", "adviser__email")
        .distinct()
        .order_by("adviser__full_name", "adviser__email")
    )
    return [
        (name or email, outcome_figures(trajectories.filter(adviser_id=pk)))
        for pk, name, email in advisers
    ]
