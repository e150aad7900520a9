"""Figures this app gives to a region's data panel (collected by fnvregio.registry.region_panel).

Aggregates only, never personal data.
"""

from __future__ import annotations


def region_panel(region, *, since, until) -> dict:
    return {}
