"""What a signal's page tells in words: the score explained the way detection computes it, and
the history of who did what when, read from the data that already exists (the signal's own
dates, its notifications and the audit trail); nothing here writes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from audit.models import AuditAction, AuditEntry
from signals.models import RuleKind, Signal, SignalAction, SignalNotification

_WORDS = {
    2: "twee",
    3: "drie",
    4: "vier",
    5: "vijf",
    6: "zes",
    7: "zeven",
    8: "acht",
    9: "negen",
    10: "tien",
}


def _decimal(value: float, places: int) -> str:
    return number_format(round(value, places), decimal_pos=places, use_l10n=True)


def _times(ratio: float) -> str:
    """'twee keer' for a whole 2 to 10, '2,5 keer' otherwise."""
    rounded = round(ratio, 1)
    if rounded == int(rounded) and int(rounded) in _WORDS:
        return _("%(n)s keer") % {"n": _(_WORDS[int(rounded)])}
    return _("%(n)s keer") % {"n": _decimal(rounded, 1)}


def score_explanation(signal: Signal) -> str:
    """One sentence after "Score 2,00:", from how signals/detection.py computed the score.

    * employer cluster: score = count / the rule's minimum (its threshold in the window);
    * theme rise: score = -log10(p), p the chance of at least this count if the theme kept
      its own rate of the baseline period (expected = the stored baseline)."""
    rule = signal.rule
    score = _decimal(signal.score, 2)
    if rule.kind == RuleKind.EMPLOYER_CLUSTER:
        subject = (
            _("over dit thema bij deze werkgever") if signal.theme_id else _("over deze werkgever")
        )
        if signal.score >= 1:
            ratio = _("%(times)s zoveel gesprekken") % {"times": _times(signal.score)}
        else:
            ratio = _("minder gesprekken")
        return _(
            "Score %(score)s: %(ratio)s %(subject)s als de drempel van deze regel "
            "(%(count)s gesprekken, drempel %(minimum)s in %(days)s dagen)."
        ) % {
            "score": score,
            "ratio": ratio,
            "subject": subject,
            "count": signal.count,
            "minimum": rule.min_count,
            "days": rule.window_days,
        }
    expected = signal.baseline
    if expected > 0:
        ratio = _("%(times)s zoveel gesprekken over dit thema als normaal") % {
            "times": _times(signal.count / expected)
        }
    else:
        ratio = _("meer gesprekken over dit thema dan normaal")
    odds = 10**signal.score
    odds_text = number_format(round(odds), use_l10n=True, force_grouping=True)
    return _(
        "Score %(score)s: %(ratio)s in deze periode (%(count)s gesprekken in %(days)s dagen, "
        "verwacht %(expected)s op grond van de %(baseline)s dagen ervoor). Zo'n aantal komt "
        "bij toeval ongeveer 1 op de %(odds)s keer voor; hoe hoger de score, hoe kleiner die kans."
    ) % {
        "score": score,
        "ratio": ratio,
        "count": signal.count,
        "days": rule.window_days,
        "expected": _decimal(expected, 1),
        "baseline": rule.baseline_days,
        "odds": odds_text,
    }


@dataclass(frozen=True)
class HistoryEvent:
    at: dt.datetime
    who: str
    what: str


def _step_text(detail: str, signal: Signal) -> str:
    """The audit detail `signals.services._transition` writes, in words."""
    if detail == "start" and signal.action:
        # one start per signal: its action is the one the person chose
        label = dict(SignalAction.choices).get(signal.action, signal.action)
        return _("In behandeling genomen: %(action)s") % {"action": label}
    if detail.startswith("start "):
        # another part of the portal took the signal up (signals.services.signal_take_up)
        action = detail.removeprefix("start ")
        if action == SignalAction.COLLECTIVE_CASE:
            return _("Collectieve zaak gekoppeld; status In behandeling")
        label = dict(SignalAction.choices).get(action, action)
        return _("In behandeling genomen: %(action)s") % {"action": label}
    return {
        "acknowledge": _("Status Gezien"),
        "start": _("In behandeling genomen"),
        "close": _("Afgesloten met een uitkomst"),
        "dismiss": _("Terzijde gelegd met een reden"),
        "close with outcome": _("Afgesloten met de uitkomst van de collectieve zaak"),
        "outcome": _("Uitkomst van de collectieve zaak toegevoegd"),
    }.get(detail, _("Gewijzigd"))


def _name(user) -> str:
    return _("(account verwijderd)") if user is None else str(user)


def signal_history(signal: Signal) -> list[HistoryEvent]:
    """Oldest first. Reads are shown once per person (the first time they opened the page)."""
    events = [
        HistoryEvent(
            at=signal.opened_at,
            who=_("Detectie"),
            what=_("Geopend door de detectie (regel: %(rule)s)") % {"rule": signal.rule.name},
        )
    ]
    notifications = SignalNotification.objects.filter(signal=signal).select_related("recipient")
    for note in notifications:
        events.append(
            HistoryEvent(
                at=note.created_at,
                who=_("Detectie"),
                what=_("Melding aan %(name)s: %(kind)s (%(count)s gesprekken)")
                % {
                    "name": _name(note.recipient),
                    "kind": note.get_kind_display(),
                    "count": note.count,
                },
            )
        )
        if note.read_at:
            events.append(
                HistoryEvent(at=note.read_at, who=_name(note.recipient), what=_("Melding gelezen"))
            )
    entries = (
        AuditEntry.objects.filter(
            object_type=Signal._meta.label_lower,
            object_id=str(signal.pk),
            action__in=[AuditAction.VIEW, AuditAction.CHANGE],
        )
        .select_related("actor")
        .order_by("at", "pk")
    )
    seen: set[int | None] = set()
    for entry in entries:
        who = entry.actor_label or _("Systeem")
        if entry.action == AuditAction.VIEW:
            if entry.actor_id in seen:
                continue
            seen.add(entry.actor_id)
            events.append(
                HistoryEvent(at=entry.at, who=who, what=_("Signaal voor het eerst bekeken"))
            )
        else:
            events.append(HistoryEvent(at=entry.at, who=who, what=_step_text(entry.detail, signal)))
    events.sort(key=lambda e: e.at)
    return events
