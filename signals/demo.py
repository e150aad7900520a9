"""Demo data of this app, called by `manage.py seed_demo` after users and members exist."""

from __future__ import annotations


def seed(*, rng, fake) -> None:
    return None
