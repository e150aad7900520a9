"""This app's monthly series for the region dashboards (declared in PlansConfig as
`region_trends`, collected by core.registry.region_trends): versions of the regioplan submitted
and the coordinators' comments on them. Counts of documents, not people, so the minimum-group
rule does not apply (`protect=False`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext as _

from core.registry import Trend
from core.trends import monthly_counts
from plans.models import PlanVersion, SectionComment


def region_trends(regions: Any, *, months: list[dt.date]) -> list[Trend]:
    section = _("Regioplan")
    return [
        Trend(
            "plans.submitted",
            _("Versies van het regioplan ingediend per maand"),
            section,
            monthly_counts(
                PlanVersion.objects.all(),
                date_field="submitted_at",
                months=months,
                regions=regions,
                region_field="plan__region",
            ),
            protect=False,
        ),
        Trend(
            "plans.comments",
            _("Opmerkingen van de coördinator per maand"),
            section,
            monthly_counts(
                SectionComment.objects.all(),
                date_field="created_at",
                months=months,
                regions=regions,
                region_field="plan__region",
            ),
            protect=False,
        ),
    ]
