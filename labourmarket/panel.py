"""The region's labour-market figures for its data panel (declared in LabourMarketConfig,
collected by core.registry.region_panel): the latest period uploaded up to the panel's end,
with its source and date, beside the union's own figures on the dashboard and in the regioplan.

Public statistics about the region (CBS, UWV), not counts of members: no minimum group applies.
Figures from the shipped example file say so on every line they appear. Values are plain text
and numbers, so a plan can freeze them as JSON.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import F
from django.utils import formats
from django.utils.translation import gettext as _

from labourmarket.models import LabourMarketFigure


def _as_date(value) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def _number(value) -> str:
    return formats.number_format(value, force_grouping=True)


def region_panel(region, *, since, until) -> dict:
    title = _("Arbeidsmarkt (CBS en UWV)")
    latest = (
        LabourMarketFigure.objects.current()
        .filter(region=region, period_end__lte=_as_date(until))
        .select_related("upload")
        .order_by("-period_end", F("period_start").desc())
        .first()
    )
    if latest is None:
        return {"title": title, "figures": []}
    figures: list[list] = []
    if latest.is_example:
        figures.append([_("Let op"), _("VOORBEELD, geen echte cijfers")])
    figures.append([_("Periode"), latest.period])
    if latest.vacancies is not None:
        figures.append([_("Vacatures"), _number(latest.vacancies)])
    if latest.unemployment_rate is not None:
        figures.append([_("Werkloosheid"), _number(latest.unemployment_rate) + "%"])
    if latest.benefit_recipients is not None:
        figures.append([_("WW-uitkeringen"), _number(latest.benefit_recipients)])
    if latest.tension is not None:
        figures.append([_("Spanningsindicator"), _number(latest.tension)])
    figures.append(
        [
            _("Bron"),
            _("%(source)s, geüpload op %(date)s")
            % {
                "source": latest.source,
                "date": formats.date_format(latest.upload.uploaded_at, "j F Y"),
            },
        ]
    )
    if latest.version_note:
        figures.append([_("Versie"), latest.version_note])
    return {"title": title, "figures": figures}
