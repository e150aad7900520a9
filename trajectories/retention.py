"""Retention for this app's personal data (called nightly by fnvregio.tasks.apply_retention)."""

from __future__ import annotations

from datetime import datetime


def apply_retention(*, now: datetime, days: dict[str, int]) -> dict[str, int]:
    return {}


def erase_member(*, member) -> dict[str, int]:
    """Remove or pseudonymise this app's personal data of an erased member; counts stay."""
    return {}
