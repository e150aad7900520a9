"""What Loopbaan FNV says on a union house's public page (registry `house_facts`): the next
free career appointment there, found with the booking pages' own slot search."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _

from core.registry import Fact
from loopbaan.slots import search_slots
from regions.models import UnionHouse


def house_facts(house: UnionHouse, *, now: dt.datetime) -> list[Fact]:
    if not house.hosts_career_hours:
        return []
    label = _("Eerstvolgende vrije loopbaanafspraak")
    found = search_slots(union_house_id=house.pk, now=now, limit=1)
    if not found:
        return [
            Fact(
                label,
                _("Nu geen vrije tijd hier; kijk bij een ander vakbondshuis of online."),
                reverse("loopbaan:book_place"),
            )
        ]
    start = found[0].local_start
    return [
        Fact(
            label,
            formats.date_format(start, "l j F, H:i"),
            reverse("loopbaan:book_slots", kwargs={"place": found[0].place_key}),
        )
    ]
