"""This app's monthly series for the region dashboards (declared in TrajectoriesConfig as
`region_trends`, collected by core.registry.region_trends): trajectories started, ended, and
ended with a new job. Counts only, in SQL per region and month."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext as _

from core.registry import Trend
from core.trends import monthly_counts
from trajectories.models import OutcomeKind, Trajectory


def region_trends(regions: Any, *, months: list[dt.date]) -> list[Trend]:
    section = _("Trajecten en Van Werk Naar Werk")
    return [
        Trend(
            "trajectories.started",
            _("Trajecten gestart per maand"),
            section,
            monthly_counts(
                Trajectory.objects.all(), date_field="started_on", months=months, regions=regions
            ),
        ),
        Trend(
            "trajectories.ended",
            _("Trajecten beëindigd per maand"),
            section,
            monthly_counts(
                Trajectory.objects.all(), date_field="ended_at", months=months, regions=regions
            ),
        ),
        Trend(
            "trajectories.new_job",
            _("Beëindigd met een nieuwe baan per maand"),
            section,
            monthly_counts(
                Trajectory.objects.filter(outcome__kind=OutcomeKind.NEW_JOB),
                date_field="ended_at",
                months=months,
                regions=regions,
            ),
        ),
    ]
