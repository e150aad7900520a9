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
    # A plan being written shows the panel taken at most this many seconds ago (settings.FNV,
    # from FNV_PLANS_PANEL_CACHE_SECONDS); 0: taken at every page.
    "PANEL_CACHE_SECONDS": 300,
    # Hour of the day (local time) at which deadline reminders become due.
    "REMINDER_HOUR": 9,
    # After a missed deadline, remind the regional officials every this many days until the
    # plan is submitted; the same while requested changes wait for the authors.
    "OVERDUE_REMINDER_DAYS": 7,
    "CHANGES_WAITING_DAYS": 7,
    # (month, day) by which every region should have started next year's plan; after it, a
    # region without one is reminded every OVERDUE_REMINDER_DAYS days.
    "START_BY": (10, 1),
    # Weekday (0 = Monday) of the coordinators' weekly overview of what awaits them; None: none.
    "DIGEST_WEEKDAY": 0,
}


def plans_setting(name: str):
    return feature_setting(f"PLANS_{name}", DEFAULTS[name])
