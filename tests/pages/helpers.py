"""Helpers for the information pages' tests."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from core import registry

SERVICE_SLUGS = [
    "spreekuren-werk-en-inkomen",
    "loopbaan-fnv",
    "van-werk-naar-werk",
    "informatiebijeenkomsten",
]
FIRST_STEPS = "ontslag-wat-nu"


def fake_agenda(monkeypatch, *items: registry.AgendaItem) -> list[dict]:
    """Stand in for the meetings app's public agenda; returns the calls it received."""
    calls: list[dict] = []

    def agenda(**kwargs):
        calls.append(kwargs)
        return list(items)[: kwargs.get("limit", 5)]

    monkeypatch.setattr(registry, "public_agenda", agenda)
    return calls


def meeting(title: str = "Wat te doen bij ontslag", days: int = 3) -> registry.AgendaItem:
    return registry.AgendaItem(
        title=title,
        starts_at=timezone.now() + dt.timedelta(days=days),
        place="Vakbondshuis Utrecht, Utrecht",
        url="/bijeenkomsten/42/",
    )
