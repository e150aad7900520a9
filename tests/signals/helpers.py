"""Helpers for the signals tests: log sessions through the real service."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from signals import services
from signals.models import Place, SessionKind, Theme


def theme(name: str = "Ontslag") -> Theme:
    return Theme.objects.get_or_create(name=name, defaults={"group": "arbeidsverhoudingen"})[0]


def log_session(
    cast,
    *,
    employer=None,
    themes=None,
    at: dt.datetime | None = None,
    days_ago: int = 0,
    consultant=None,
    member=None,
    consent: bool = False,
    summary: str = "Vertrouwelijke samenvatting",
    place: str = Place.UNION_HOUSE,
    union_house=None,
    sector=None,
):
    consultant = consultant or cast.consultant
    if union_house is None and place == Place.UNION_HOUSE:
        union_house = consultant.union_houses.first()
    return services.session_log(
        consultant=consultant,
        details=services.SessionDetails(
            at=at or timezone.now() - dt.timedelta(days=days_ago),
            place=place,
            union_house=union_house,
            kind=SessionKind.WORK_INCOME,
            member=member,
            employer=employer,
            sector=sector,
            themes=themes or [theme()],
            summary=summary,
            consent_to_share=consent,
        ),
    )
