"""Consultation sessions, themes and signals.

A consultant logs a session (spreekuur); detection (signals/detection.py) counts sessions per
employer, theme, region and sector, and opens a Signal when a DetectionRule fires. A signal is
routed to the people responsible (signals/notifications.py) and acted on by them.

The models live in two modules (sessions: themes, sessions, consents; signals: rules, signals,
notifications, runs); this package exposes them all.
"""

from signals.models.sessions import (
    CORRECTION_DAYS,
    Consent,
    ConsentQuerySet,
    ConsentScope,
    ConsentSource,
    ConsultationSession,
    ConsultationSessionQuerySet,
    Place,
    Referral,
    SessionKind,
    SessionTheme,
    Theme,
    ThemeGroup,
)
from signals.models.signals import (
    ACTIVE_STATUSES,
    DetectionRule,
    DetectionRun,
    NotificationKind,
    NotificationPreference,
    RuleKind,
    Signal,
    SignalAction,
    SignalNotification,
    SignalNotificationQuerySet,
    SignalQuerySet,
    SignalSession,
    SignalStatus,
    ThemeDayCount,
    ThemeWeekCount,
    signal_title,
)

__all__ = [
    "ACTIVE_STATUSES",
    "CORRECTION_DAYS",
    "Consent",
    "ConsentQuerySet",
    "ConsentScope",
    "ConsentSource",
    "ConsultationSession",
    "ConsultationSessionQuerySet",
    "DetectionRule",
    "DetectionRun",
    "NotificationKind",
    "NotificationPreference",
    "Place",
    "Referral",
    "RuleKind",
    "SessionKind",
    "SessionTheme",
    "Signal",
    "SignalAction",
    "SignalNotification",
    "SignalNotificationQuerySet",
    "SignalQuerySet",
    "SignalSession",
    "SignalStatus",
    "Theme",
    "ThemeDayCount",
    "ThemeWeekCount",
    "ThemeGroup",
    "signal_title",
]
