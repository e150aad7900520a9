"""Detection: from single sessions to signals.

Two rules, each one set-based SQL query (plus one to fetch the sessions behind the keys that
fired):

* employer cluster: at least N sessions about one employer within the last D days, in total
  (key ``employer:<id>``) and, when the rule says so, for one theme
  (``employer:<id>:theme:<id>``).
* theme rise: a theme's count over the last D days in a region (``theme:<id>:region:<id>``) or
  a sector (``theme:<id>:sector:<id>``) far above its own baseline of the previous
  ``baseline_days``. The test: one-sided Poisson, H0 "the count follows the baseline rate",
  expected = (baseline count + 1) × D / baseline_days (the +1 keeps a theme that never
  occurred from giving an expectation of zero); the rule fires when P(X ≥ count) < p and the
  count is at least the rule's minimum.

Windows are whole local days (Europe/Amsterdam), computed once here and passed to the SQL,
so that Python's and PostgreSQL's idea of "today" never differ.

While a signal for a rule and key is active, new sessions join it. Sessions that already were
evidence of a closed or dismissed signal for the same key do not count again. A partial
unique constraint guarantees one active signal per rule and key, also for two runs at once:
inserts use ON CONFLICT DO NOTHING and every notification is claimed with a
compare-and-swap on ``notified_count``.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.utils import timezone

from signals.models import (
    ACTIVE_STATUSES,
    DetectionRule,
    DetectionRun,
    NotificationKind,
    RuleKind,
    Signal,
    SignalSession,
    SignalStatus,
)
from signals.notifications import notify

RULE_DEFAULTS = {
    RuleKind.EMPLOYER_CLUSTER: {"name": "Meerdere gesprekken over één werkgever", "min_count": 3},
    RuleKind.THEME_RISE: {
        "name": "Stijging van een thema in een regio of sector",
        "min_count": 5,
        "notify_step": 5,
    },
}
# Sessions changed shortly before the previous run started may have committed after it read
# them; an incremental run looks back this far beyond the previous start (joining is idempotent).
OVERLAP = dt.timedelta(minutes=5)


def employer_key(employer_id: int, theme_id: int | None = None) -> str:
    return f"employer:{employer_id}" + (f":theme:{theme_id}" if theme_id else "")


def region_key(theme_id: int, region_id: int) -> str:
    return f"theme:{theme_id}:region:{region_id}"


def sector_key(theme_id: int, sector_id: int) -> str:
    return f"theme:{theme_id}:sector:{sector_id}"


def poisson_sf(k: int, lam: float) -> float:
    """P(X ≥ k) for X ~ Poisson(lam), summed in log space (no scipy)."""
    if k <= 0:
        return 1.0
    if lam <= 0:
        return 0.0
    log_lam = math.log(lam)

    def pmf(i: int) -> float:
        return math.exp(-lam + i * log_lam - math.lgamma(i + 1))

    if k > lam:  # upper tail: terms only get smaller
        total, i, term = 0.0, k, pmf(k)
        while term > total * 1e-16 and i < k + 100_000:
            total += term
            i += 1
            term *= lam / i
        return min(1.0, total)
    cdf = sum(pmf(i) for i in range(k))
    return max(0.0, 1.0 - cdf)


@dataclass(frozen=True)
class Window:
    start: dt.date  # first day, inclusive
    end: dt.date  # last day (today), inclusive
    baseline_start: dt.date  # first day of the baseline; it ends the day before `start`

    @classmethod
    def for_rule(cls, rule: DetectionRule, today: dt.date) -> Window:
        start = today - dt.timedelta(days=rule.window_days - 1)
        return cls(start, today, start - dt.timedelta(days=rule.baseline_days))


@dataclass
class Candidate:
    key: str
    count: int
    employer_id: int | None = None
    theme_id: int | None = None
    region_id: int | None = None
    sector_id: int | None = None
    baseline: float = 0.0
    score: float = 0.0
    session_ids: list[int] = field(default_factory=list)
    # Only the sessions changed since the previous run (the key already has an active signal,
    # which holds the older ones).
    partial: bool = False


@dataclass
class Touched:
    """What changed since the last run; None means everything (a full run)."""

    employer_ids: list[int] | None = None
    theme_region: set[tuple[int, int]] | None = None
    theme_sector: set[tuple[int, int]] | None = None

    @property
    def full(self) -> bool:
        return self.employer_ids is None


@dataclass
class RunResult:
    full: bool
    opened: int = 0
    grown: int = 0
    candidates: int = 0


def active_rules() -> list[DetectionRule]:
    for kind, defaults in RULE_DEFAULTS.items():
        DetectionRule.objects.get_or_create(kind=kind, defaults=defaults)
    return list(DetectionRule.objects.filter(is_active=True))


# --- the two rules ----------------------------------------------------------------------------


def employer_cluster_candidates(
    rule: DetectionRule, window: Window, employer_ids: list[int] | None = None
) -> list[Candidate]:
    only = "AND employer_id = ANY(%(employers)s)" if employer_ids is not None else ""
    per_theme = f"""
        UNION ALL
        SELECT employer_id, theme_id, count(*), array_agg(session_id)
        FROM signals_sessiontheme
        WHERE day BETWEEN %(start)s AND %(end)s AND employer_id IS NOT NULL {only}
        GROUP BY employer_id, theme_id HAVING count(*) >= %(n)s
    """
    sql = f"""
        SELECT c.employer_id, c.theme_id, c.n, c.ids, e.sector_id
        FROM (
            SELECT employer_id, NULL::bigint AS theme_id, count(*) AS n,
                   array_agg(id) AS ids
            FROM signals_consultationsession
            WHERE day BETWEEN %(start)s AND %(end)s AND employer_id IS NOT NULL {only}
            GROUP BY employer_id HAVING count(*) >= %(n)s
            {per_theme if rule.per_theme else ""}
        ) c JOIN members_employer e ON e.id = c.employer_id
    """
    params = {
        "start": window.start,
        "end": window.end,
        "n": rule.min_count,
        "employers": employer_ids,
    }
    with transaction.atomic(), connection.cursor() as cursor:
        # Room to group the window's sessions in memory rather than on disk.
        cursor.execute("SET LOCAL work_mem = '64MB'")
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return [
        Candidate(
            key=employer_key(employer_id, theme_id),
            count=n,
            employer_id=employer_id,
            theme_id=theme_id,
            sector_id=sector_id,
            baseline=float(rule.min_count),
            score=n / rule.min_count,
            session_ids=list(ids),
        )
        for employer_id, theme_id, n, ids, sector_id in rows
    ]


def theme_rise_candidates(
    rule: DetectionRule,
    window: Window,
    touched: Touched | None = None,
    since: dt.datetime | None = None,
) -> list[Candidate]:
    sql = """
        SELECT theme_id, region_id, sector_id,
               COALESCE(SUM(count) FILTER (WHERE day >= %(start)s), 0) AS recent,
               COALESCE(SUM(count) FILTER (WHERE day < %(start)s), 0) AS base
        FROM signals_themedaycount
        WHERE day BETWEEN %(baseline_start)s AND %(end)s
        GROUP BY theme_id, region_id, sector_id
        HAVING COALESCE(SUM(count) FILTER (WHERE day >= %(start)s), 0) >= %(n)s
    """
    params = {
        "start": window.start,
        "end": window.end,
        "baseline_start": window.baseline_start,
        "n": rule.min_count,
    }
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    fired = []
    scale = rule.window_days / rule.baseline_days
    for theme_id, region_id, sector_id, recent, base in rows:
        if touched is not None and not touched.full:
            if region_id is not None and (theme_id, region_id) not in touched.theme_region:
                continue
            if sector_id is not None and (theme_id, sector_id) not in touched.theme_sector:
                continue
        expected = (base + 1) * scale
        p = poisson_sf(int(recent), expected)
        if p >= rule.p_value:
            continue
        fired.append(
            Candidate(
                key=region_key(theme_id, region_id)
                if region_id is not None
                else sector_key(theme_id, sector_id),
                count=int(recent),
                theme_id=theme_id,
                region_id=region_id,
                sector_id=sector_id,
                baseline=round(expected, 3),
                score=round(-math.log10(max(p, 1e-300)), 2),
            )
        )
    if since is not None and fired:
        # A rise that already has an active signal only needs the sessions changed since the
        # previous run: the older ones are linked to it already.
        active = set(
            Signal.objects.filter(
                rule=rule, key__in=[c.key for c in fired], status__in=ACTIVE_STATUSES
            ).values_list("key", flat=True)
        )
        for c in fired:
            c.partial = c.key in active
    _attach_theme_sessions([c for c in fired if not c.partial], window)
    _attach_theme_sessions([c for c in fired if c.partial], window, since=since)
    return fired


def _attach_theme_sessions(
    candidates: list[Candidate], window: Window, since: dt.datetime | None = None
) -> None:
    """The sessions behind the theme-rise keys that fired: one query per dimension."""
    changed = (
        "AND EXISTS (SELECT 1 FROM signals_consultationsession s "
        "WHERE s.id = st.session_id AND s.updated_at >= %(since)s)"
        if since is not None
        else ""
    )
    for column, attr in (("region_id", "region_id"), ("sector_id", "sector_id")):
        wanted = [c for c in candidates if getattr(c, attr) is not None]
        if not wanted:
            continue
        by_key = {(c.theme_id, getattr(c, attr)): c for c in wanted}
        with connection.cursor() as cursor:
            cursor.execute(
                f"""
                SELECT st.theme_id, st.{column}, array_agg(st.session_id ORDER BY st.session_id)
                FROM signals_sessiontheme st
                JOIN unnest(%(themes)s::bigint[], %(dims)s::bigint[]) AS k(theme_id, dim_id)
                  ON st.theme_id = k.theme_id AND st.{column} = k.dim_id
                WHERE st.day BETWEEN %(start)s AND %(end)s {changed}
                GROUP BY st.theme_id, st.{column}
                """,
                {
                    "themes": [k[0] for k in by_key],
                    "dims": [k[1] for k in by_key],
                    "start": window.start,
                    "end": window.end,
                    "since": since,
                },
            )
            for theme_id, dim_id, ids in cursor.fetchall():
                by_key[(theme_id, dim_id)].session_ids = list(ids)


# --- applying candidates: open, join, notify --------------------------------------------------


def _drop_sessions_already_dealt_with(rule: DetectionRule, candidates: list[Candidate]) -> None:
    ended = defaultdict(set)
    rows = SignalSession.objects.filter(
        signal__rule=rule,
        signal__key__in=[c.key for c in candidates],
        signal__status__in=[SignalStatus.CLOSED, SignalStatus.DISMISSED],
    ).values_list("signal__key", "session_id")
    for key, session_id in rows:
        ended[key].add(session_id)
    for c in candidates:
        if c.key in ended:
            c.session_ids = [s for s in c.session_ids if s not in ended[c.key]]
            if not c.partial:
                c.count = len(c.session_ids)


def apply_candidates(
    rule: DetectionRule, window: Window, candidates: list[Candidate]
) -> tuple[int, int]:
    """Open new signals, let new sessions join active ones, notify. Returns (opened, grown)."""
    if not candidates:
        return 0, 0
    _drop_sessions_already_dealt_with(rule, candidates)
    candidates = [c for c in candidates if c.count >= rule.min_count]
    if not candidates:
        return 0, 0
    keys = [c.key for c in candidates]
    now = timezone.now()
    fields = ("pk", "key", "count", "notified_count", "sector_id", "region_id")
    active = Signal.objects.filter(rule=rule, key__in=keys, status__in=ACTIVE_STATUSES)
    signals = {s.key: s for s in active.only(*fields)}
    missing = [c for c in candidates if c.key not in signals]
    if missing:
        with connection.cursor() as cursor:
            # ON CONFLICT DO NOTHING: the partial unique constraint; another run may have won.
            cursor.execute(
                """
                INSERT INTO signals_signal
                    (rule_id, key, employer_id, theme_id, region_id, sector_id, window_start,
                     window_end, count, baseline, score, status, action, outcome,
                     dismiss_reason, opened_at, notified_count, updated_at)
                SELECT %(rule)s, t.key, t.employer, t.theme, t.region, t.sector, %(start)s,
                       %(end)s, 0, t.baseline, t.score, 'open', '', '', '', %(now)s, 0, %(now)s
                FROM unnest(%(keys)s::text[], %(employers)s::bigint[], %(themes)s::bigint[],
                            %(regions)s::bigint[], %(sectors)s::bigint[],
                            %(baselines)s::float8[], %(scores)s::float8[])
                     AS t(key, employer, theme, region, sector, baseline, score)
                ON CONFLICT DO NOTHING
                """,
                {
                    "rule": rule.pk,
                    "start": window.start,
                    "end": window.end,
                    "now": now,
                    "keys": [c.key for c in missing],
                    "employers": [c.employer_id for c in missing],
                    "themes": [c.theme_id for c in missing],
                    "regions": [c.region_id for c in missing],
                    "sectors": [c.sector_id for c in missing],
                    "baselines": [c.baseline for c in missing],
                    "scores": [c.score for c in missing],
                },
            )
    if missing:
        created = active.filter(key__in=[c.key for c in missing])
        signals.update({s.key: s for s in created.only(*fields)})
    pairs_signal, pairs_session = [], []
    by_signal = {}
    for c in candidates:
        signal = signals.get(c.key)
        if signal is None:  # ended between the insert and the select
            continue
        by_signal[signal.pk] = c
        pairs_signal.extend([signal.pk] * len(c.session_ids))
        pairs_session.extend(c.session_ids)
    with connection.cursor() as cursor:
        cursor.execute(
            """
            WITH added AS (
                INSERT INTO signals_signalsession (signal_id, session_id, added_at)
                SELECT s, x, %(now)s FROM unnest(%(sigs)s::bigint[], %(sids)s::bigint[]) AS t(s, x)
                ON CONFLICT DO NOTHING
                RETURNING signal_id
            )
            SELECT signal_id, count(*) FROM added GROUP BY signal_id
            """,
            {"now": now, "sigs": pairs_signal, "sids": pairs_session},
        )
        added = dict(cursor.fetchall())
    changed = [s for s in signals.values() if added.get(s.pk)]
    for signal in changed:
        signal.count += added[signal.pk]
    if changed:  # one UPDATE … FROM unnest(): Django's bulk_update builds a CASE per row
        with connection.cursor() as cursor:
            cursor.execute(
                """
                UPDATE signals_signal AS s
                SET count = s.count + t.added, window_start = %(start)s,
                    window_end = %(end)s, baseline = t.baseline, score = t.score,
                    updated_at = %(now)s
                FROM unnest(%(ids)s::bigint[], %(added)s::int[], %(baselines)s::float8[],
                            %(scores)s::float8[]) AS t(id, added, baseline, score)
                WHERE s.id = t.id
                """,
                {
                    "start": window.start,
                    "end": window.end,
                    "now": now,
                    "ids": [s.pk for s in changed],
                    "added": [added[s.pk] for s in changed],
                    "baselines": [by_signal[s.pk].baseline for s in changed],
                    "scores": [by_signal[s.pk].score for s in changed],
                },
            )
    # Claim the messages with a compare-and-swap on notified_count, set-based: of two runs at
    # once only one gets a row back for a signal, so each message is made once.
    changed_ids = [s.pk for s in changed]
    with connection.cursor() as cursor:
        cursor.execute(
            """
            UPDATE signals_signal SET notified_count = count
            WHERE id = ANY(%(ids)s) AND notified_count = 0 RETURNING id
            """,
            {"ids": changed_ids},
        )
        new_ids = {row[0] for row in cursor.fetchall()}
        cursor.execute(
            """
            UPDATE signals_signal SET notified_count = count
            WHERE id = ANY(%(ids)s) AND notified_count > 0
              AND count >= notified_count + %(step)s
            RETURNING id
            """,
            {"ids": [i for i in changed_ids if i not in new_ids], "step": rule.notify_step},
        )
        grown_ids = {row[0] for row in cursor.fetchall()}
    new = [s for s in changed if s.pk in new_ids]
    grown = [s for s in changed if s.pk in grown_ids]
    notify(signals=new, kind=NotificationKind.NEW)
    notify(signals=grown, kind=NotificationKind.GROWN)
    return len(new), len(grown)


# --- a run ------------------------------------------------------------------------------------


def _touched_since(since: dt.datetime) -> Touched:
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT DISTINCT employer_id FROM signals_consultationsession
            WHERE updated_at >= %s AND employer_id IS NOT NULL
            """,
            [since],
        )
        employer_ids = [row[0] for row in cursor.fetchall()]
        cursor.execute(
            """
            SELECT DISTINCT st.theme_id, st.region_id, st.sector_id
            FROM signals_consultationsession s JOIN signals_sessiontheme st ON st.session_id = s.id
            WHERE s.updated_at >= %s
            """,
            [since],
        )
        rows = cursor.fetchall()
    return Touched(
        employer_ids=employer_ids,
        theme_region={(t, r) for t, r, _ in rows if r is not None},
        theme_sector={(t, s) for t, _, s in rows if s is not None},
    )


def run_detection(*, full: bool | None = None, today: dt.date | None = None) -> RunResult:
    """One detection run. Incremental (only keys touched since the previous run) unless `full`
    or the previous run was on another day, so that every window moves on once a day."""
    today = today or timezone.localdate()
    previous = DetectionRun.objects.filter(finished_at__isnull=False).first()
    if full is None:
        full = previous is None or previous.today != today
    run = DetectionRun.objects.create(full=full, today=today)
    since = None if full else previous.started_at - OVERLAP
    touched = Touched() if full else _touched_since(since)
    result = RunResult(full=full)
    for rule in active_rules():
        window = Window.for_rule(rule, today)
        if rule.kind == RuleKind.EMPLOYER_CLUSTER:
            if not touched.full and not touched.employer_ids:
                continue
            candidates = employer_cluster_candidates(rule, window, touched.employer_ids)
        else:
            if not touched.full and not (touched.theme_region or touched.theme_sector):
                continue
            candidates = theme_rise_candidates(rule, window, touched, since)
        result.candidates += len(candidates)
        with transaction.atomic():
            if candidates:
                # A run only recomputes from the sessions, so it need not wait for its WAL to
                # reach the disk: a database crash in the moment after the commit can lose this
                # run's signals and inbox rows, and the next run (15 minutes on) recreates them.
                # Sessions are saved by other transactions and keep the full guarantee.
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL synchronous_commit TO OFF")
            opened, grown = apply_candidates(rule, window, candidates)
        result.opened += opened
        result.grown += grown
    DetectionRun.objects.filter(pk=run.pk).update(
        finished_at=timezone.now(), opened=result.opened, grown=result.grown
    )
    return result
