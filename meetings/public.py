"""What this app shows on the portal's public pages: the agenda of upcoming meetings and the
next meeting at a union house (collected by core.registry.public_agenda / house_facts)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from core.registry import AgendaItem, Fact
from meetings.mail import when
from meetings.models import Meeting


def _upcoming(now: dt.datetime) -> Any:
    return (
        Meeting.objects.public()
        .filter(starts_at__gt=now)
        .select_related("union_house", "region")
        .order_by("starts_at", "pk")
    )


def public_agenda(
    *, region: Any = None, house: Any = None, now: dt.datetime, limit: int = 5
) -> list[AgendaItem]:
    meetings = _upcoming(now)
    if region is not None:
        meetings = meetings.filter(region=region)
    if house is not None:
        meetings = meetings.filter(union_house=house)
    return [
        AgendaItem(
            title=meeting.title,
            starts_at=meeting.starts_at,
            place=f"{meeting.union_house.name}, {meeting.union_house.city}"
            if meeting.union_house_id
            else _("Online"),
            url=reverse("meetings:detail", kwargs={"pk": meeting.pk}),
            region_code=meeting.region.code,
            house_id=meeting.union_house_id,
        )
        for meeting in meetings[:limit]
    ]


def house_facts(house: Any, *, now: dt.datetime) -> list[Fact]:
    meeting = _upcoming(now).filter(union_house=house).first()
    if meeting is None:
        return []
    return [
        Fact(
            label=_("Volgende bijeenkomst hier"),
            value=f"{meeting.title}, {when(meeting)}",
            url=reverse("meetings:detail", kwargs={"pk": meeting.pk}),
        )
    ]
