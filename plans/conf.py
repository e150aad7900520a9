"""Settings of the regioplannen with their defaults (override in settings.FNV as
"PLANS_<NAME>", read through core.conf.feature_setting)."""

from __future__ import annotations

from core.conf import feature_setting

DEFAULTS = {
    # Remind the regional officials this many days before the deadline (each once).
    "DEADLINE_REMINDER_DAYS": (14, 3),
    # Remind the coordinators when a submitted version waits longer than this for a decision.
    "REVIEW_WAITING_DAYS": 7,
    # The data panel covers this many days up to the day it is taken.
    "PANEL_DAYS": 365,
    # Hour of the day (local time) at which deadline reminders become due.
    "REMINDER_HOUR": 9,
}


def plans_setting(name: str):
    return feature_setting(f"PLANS_{name}", DEFAULTS[name])
