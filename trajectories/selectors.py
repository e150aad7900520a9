"""Reads: aggregated figures of trajectories and their outcomes.

Counts only, never names. A group smaller than settings.FNV["MIN_GROUP_SIZE"] is not broken
down further; in a breakdown, a part below that size is hidden, and so is at least one more,
so that no hidden part can be worked out from the total minus the shown ones
(fnvregio.figures, the rule for every app).
"""

from __future__ import annotations

from collections import Counter

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from core.figures import breakdown, hidden_text, min_group_size, part_of, suppress
from trajectories.models import (
    FINISHED_STATUSES,
    ContractKind,
    OutcomeKind,
    Trajectory,
    TrajectoryStatus,
)


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
        "any_hidden": False,
        "min_group_size": size,
    }
    if finished < size:
        return figures
    outcomes = suppress(
        [
            (OutcomeKind.NEW_JOB.label, status["new_job"]),
            (OutcomeKind.TRAINING.label, status["training"]),
            (OutcomeKind.OTHER.label, status["other"]),
            (OutcomeKind.NONE.label, status["none"]),
        ],
        total=finished,
    )
    figures["outcomes"] = [
        (cell.label, hidden_text() if cell.suppressed else cell.count) for cell in outcomes
    ]
    figures["new_job"] = figures["outcomes"][0][1]
    # A hidden figure is not broken down further (its parts would give it away).
    if not outcomes[0].suppressed and status["new_job"] >= size:
        figures["permanent"] = part_of(status["permanent"], status["new_job"])
        figures["cao"] = part_of(status["cao"], status["new_job"])
        sectors = Counter(
            name or _("onbekend")
            for name in trajectories.filter(
                status__in=FINISHED_STATUSES, outcome__kind=OutcomeKind.NEW_JOB
            ).values_list("outcome__sector__name", flat=True)
        )
        # Sectors below the group size are folded into one line, so none can be singled out;
        # that line and the others are a split of the new jobs.
        big = sorted(((n, c) for n, c in sectors.items() if c >= size), key=lambda x: -x[1])
        rest = sum(c for c in sectors.values() if c < size)
        items = [*big, *([(_("overige sectoren"), rest)] if rest else [])]
        figures["sectors"] = breakdown(items, total=status["new_job"])
    shown_values = [
        value
        for _label, value in figures["outcomes"]
        + figures["sectors"]
        + [("", figures["permanent"]), ("", figures["cao"])]
    ]
    figures["any_hidden"] = hidden_text() in shown_values
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
