"""Detection: from single sessions to signals.

Two rules. The sessions behind a key never travel through Python: they join their signals
in an INSERT … SELECT, which skips the links that exist already (a run in steady state writes
nothing). The employer rule is one statement that reads the window's sessions once, counts
the keys, opens and links (`_employer_statement`); the theme rise finds its keys from the day
and week counts first, as its Poisson test is computed in Python, then opens and links in a
second statement (`apply_candidates`).

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
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from signals.models import (
    ACTIVE_STATUSES,
    DetectionRule,
    DetectionRun,
    NotificationKind,
    RuleKind,
    Signal,
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


ONE_DAY = dt.timedelta(days=1)


def _whole_weeks(
    first: dt.date, last: dt.date
) -> tuple[tuple[dt.date, dt.date], list[tuple[dt.date, dt.date]]]:
    """Split the days first..last into the Mondays of the whole weeks inside them (as a range
    of Mondays) and the two runs of days outside those weeks. An empty range is (d, d - 1)."""
    monday = first + dt.timedelta(days=-first.weekday() % 7)
    sunday = last - dt.timedelta(days=(last.weekday() + 1) % 7)
    if monday + dt.timedelta(days=6) > sunday:
        return (first, first - ONE_DAY), [(first, last), (first, first - ONE_DAY)]
    return (monday, sunday - dt.timedelta(days=6)), [
        (first, monday - ONE_DAY),
        (sunday + ONE_DAY, last),
    ]


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
    """A key that fired. Its sessions stay in the database: linking them is one INSERT …
    SELECT (see `apply_candidates`), never a list of ids through Python."""

    key: str
    count: int
    employer_id: int | None = None
    theme_id: int | None = None
    region_id: int | None = None
    sector_id: int | None = None
    baseline: float = 0.0
    score: float = 0.0
    # Only the sessions changed since the previous run join (the key already has an active
    # signal, which holds the older ones).
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


@dataclass(frozen=True)
class Announced:
    """A signal to announce: what routing and an inbox entry need (notifications.Routed)."""

    pk: int
    sector_id: int | None
    region_id: int | None
    count: int


@dataclass
class RunResult:
    full: bool
    opened: int = 0
    grown: int = 0
    candidates: int = 0


@dataclass(frozen=True)
class Evidence:
    """The sessions behind a rule's candidate keys, as SQL: `sql` yields (key, session_id) rows
    for the keys in %(keys)s (all their sessions in the window) and in %(partial_keys)s (only
    those changed since %(since)s); `params` fills the rest of it."""

    sql: str
    params: dict


def active_rules() -> list[DetectionRule]:
    for kind, defaults in RULE_DEFAULTS.items():
        DetectionRule.objects.get_or_create(kind=kind, defaults=defaults)
    return list(DetectionRule.objects.filter(is_active=True))


# Sessions that were evidence of a closed or dismissed signal of the rule, with its key: they
# do not count again for that key.
_DEALT_WITH = """
    SELECT DISTINCT ended.key, link.session_id
    FROM signals_signal ended
    JOIN signals_signalsession link ON link.signal_id = ended.id
    WHERE ended.rule_id = %(rule)s AND ended.status IN ('closed', 'dismissed')
"""


# --- the two rules ----------------------------------------------------------------------------


def _employer_rows(rule: DetectionRule, touched: bool) -> str:
    """(employer_id, theme_id, session_id) of the window's sessions about an employer (only the
    employers in %(touched)s, if `touched`); theme 0 stands for the key over all themes."""
    only = "AND employer_id = ANY(%(touched)s)" if touched else ""
    rows = f"""
        SELECT employer_id, 0::bigint AS theme_id, id AS session_id
        FROM signals_consultationsession
        WHERE day BETWEEN %(start)s AND %(end)s AND employer_id IS NOT NULL {only}
    """
    if rule.per_theme:
        rows += f"""
            UNION ALL
            SELECT employer_id, theme_id, session_id
            FROM signals_sessiontheme
            WHERE day BETWEEN %(start)s AND %(end)s AND employer_id IS NOT NULL {only}
        """
    return rows


def _employer_statement(rule: DetectionRule, touched: bool) -> str:
    """The employer rule in one statement, from one snapshot and one read of the window's
    sessions: count the keys, open the new signals and link their sessions, link the new
    sessions of the active ones. Rows are carried as (employer, theme) numbers; a key's text is
    made once per key that fires, and the keys of ended signals are read back into numbers.

    It returns one row per signal opened or grown (id, key, is new, links added, count before,
    sector, region, total count in the window), and one last row with only the number of keys
    at or above N (the run's candidates)."""
    return f"""
        WITH dealt AS (
            -- Sessions that were evidence of a closed or dismissed signal of the rule, under its
            -- key (employer:<e> or employer:<e>:theme:<t>): they do not count again for it.
            SELECT DISTINCT split_part(ended.key, ':', 2)::bigint AS employer_id,
                   COALESCE(NULLIF(split_part(ended.key, ':', 4), ''), '0')::bigint AS theme_id,
                   link.session_id
            FROM signals_signal ended
            JOIN signals_signalsession link ON link.signal_id = ended.id
            WHERE ended.rule_id = %(rule)s AND ended.status IN ('closed', 'dismissed')
        ),
        win AS MATERIALIZED (
            SELECT r.employer_id, r.theme_id, r.session_id, d.session_id IS NOT NULL AS dealt
            FROM ({_employer_rows(rule, touched)}) r
            LEFT JOIN dealt d ON d.employer_id = r.employer_id AND d.theme_id = r.theme_id
                AND d.session_id = r.session_id
        ),
        grouped AS MATERIALIZED (
            SELECT employer_id, theme_id, count(*) AS n,
                   count(*) FILTER (WHERE NOT dealt) AS live
            FROM win GROUP BY employer_id, theme_id HAVING count(*) >= %(n)s
        ),
        candidate AS MATERIALIZED (
            SELECT 'employer:' || g.employer_id
                   || CASE WHEN g.theme_id = 0 THEN '' ELSE ':theme:' || g.theme_id END AS key,
                   g.employer_id, g.theme_id, e.sector_id, g.n, g.live
            FROM grouped g JOIN members_employer e ON e.id = g.employer_id
            WHERE g.live >= %(n)s
        ),
        existing AS MATERIALIZED (
            SELECT s.id, s.key, s.count, s.sector_id, s.region_id, c.employer_id, c.theme_id, c.n
            FROM signals_signal s JOIN candidate c ON c.key = s.key
            WHERE s.rule_id = %(rule)s AND s.status IN ('open', 'acknowledged', 'in_progress')
        ),
        opened AS (
            -- ON CONFLICT DO NOTHING: the partial unique constraint; another run won.
            INSERT INTO signals_signal
                (rule_id, key, employer_id, theme_id, region_id, sector_id, window_start,
                 window_end, count, baseline, score, status, action, outcome, dismiss_reason,
                 opened_at, notified_count, updated_at)
            SELECT %(rule)s, c.key, c.employer_id, NULLIF(c.theme_id, 0), NULL, c.sector_id,
                   %(start)s, %(end)s, c.live, %(n)s::float8, c.n::float8 / %(n)s::float8,
                   'open', '', '', '', %(now)s, c.live, %(now)s
            FROM candidate c
            WHERE c.key NOT IN (SELECT key FROM existing)
            ORDER BY c.key
            ON CONFLICT DO NOTHING
            RETURNING id, key, count, sector_id, region_id, employer_id,
                      COALESCE(theme_id, 0) AS theme_id
        ),
        added AS (
            INSERT INTO signals_signalsession (signal_id, session_id, added_at)
            SELECT link.signal_id, link.session_id, %(now)s FROM (
                SELECT o.id AS signal_id, w.session_id
                FROM opened o
                JOIN win w ON w.employer_id = o.employer_id AND w.theme_id = o.theme_id
                WHERE NOT w.dealt
                UNION ALL
                (
                    -- An active signal's sessions less those linked already, as a set
                    -- difference (hashed): the planner's guess of a handful of active
                    -- signals otherwise probes the links row by row.
                    SELECT x.id, w.session_id
                    FROM existing x
                    JOIN win w ON w.employer_id = x.employer_id AND w.theme_id = x.theme_id
                    WHERE NOT w.dealt
                    EXCEPT ALL
                    SELECT l.signal_id, l.session_id FROM signals_signalsession l
                    WHERE l.signal_id IN (SELECT id FROM existing)
                )
            ) link
            -- In index order: the links' indexes grow at their ends, not all over.
            ORDER BY link.signal_id, link.session_id
            ON CONFLICT DO NOTHING
            RETURNING signal_id
        ),
        counted AS (SELECT signal_id, count(*) AS added FROM added GROUP BY signal_id)
        SELECT o.id, o.key, true, 0, o.count, o.sector_id, o.region_id, 0 FROM opened o
        UNION ALL
        SELECT x.id, x.key, false, c.added, x.count, x.sector_id, x.region_id, x.n
        FROM existing x JOIN counted c ON c.signal_id = x.id
        UNION ALL
        SELECT NULL, NULL, NULL, count(*), NULL, NULL, NULL, NULL FROM grouped
    """


def employer_cluster_apply(
    rule: DetectionRule, window: Window, employer_ids: list[int] | None = None
) -> tuple[int, int, int]:
    """Keys with at least N sessions in the window, counting those not yet dealt with under the
    same key: open, join and notify in one statement (see `_employer_statement`). Returns
    (candidates, opened, grown)."""
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(
            _employer_statement(rule, touched=employer_ids is not None),
            {
                "rule": rule.pk,
                "start": window.start,
                "end": window.end,
                "n": rule.min_count,
                "now": now,
                "touched": employer_ids,
            },
        )
        rows = cursor.fetchall()
    candidates = rows.pop()[3]
    scores = {
        key: (float(rule.min_count), n / rule.min_count)
        for _, key, is_new, _, _, _, _, n in rows
        if not is_new
    }
    opened, grown = _settle(rule, window, [row[:7] for row in rows], scores, now)
    return candidates, opened, grown


def _theme_rows(column: str, changed: bool) -> str:
    """(key, session_id) of the window's sessions of the theme-rise keys of one dimension."""
    prefix = column.removesuffix("_id")
    keys = "partial_keys" if changed else "keys"
    # Changed sessions: read from the few sessions changed since the previous run (an index on
    # updated_at), not by testing every session of the keys' windows.
    changed_sessions = (
        "JOIN signals_consultationsession s ON s.id = st.session_id AND s.updated_at >= %(since)s"
        if changed
        else ""
    )
    return f"""
        SELECT k.key, st.session_id
        FROM signals_sessiontheme st
        {changed_sessions}
        JOIN (
            SELECT key, split_part(key, ':', 2)::bigint AS theme_id,
                   split_part(key, ':', 4)::bigint AS dim_id
            FROM unnest(%({keys})s::text[]) AS key
            WHERE key LIKE 'theme:%%:{prefix}:%%'
        ) k ON st.theme_id = k.theme_id AND st.{column} = k.dim_id
        WHERE st.day BETWEEN %(start)s AND %(end)s
    """


_THEME_EVIDENCE = " UNION ALL ".join(
    _theme_rows(column, changed)
    for column in ("region_id", "sector_id")
    for changed in (False, True)
)


def theme_rise_candidates(
    rule: DetectionRule,
    window: Window,
    touched: Touched | None = None,
    since: dt.datetime | None = None,
) -> tuple[list[Candidate], Evidence]:
    # Whole weeks from the week counts, the days at the edges of the window and the baseline
    # from the day counts: a fifth of the rows of summing a year of days.
    weeks, days = [], []
    for first, last in (
        (window.baseline_start, window.start - ONE_DAY),
        (window.start, window.end),
    ):
        week, edges = _whole_weeks(first, last)
        weeks.append(week)
        days.extend(edges)
    sql = """
        SELECT theme_id, region_id, sector_id,
               COALESCE(SUM(count) FILTER (WHERE recent), 0) AS recent,
               COALESCE(SUM(count) FILTER (WHERE NOT recent), 0) AS base
        FROM (
            SELECT theme_id, region_id, sector_id, count, week >= %(start)s AS recent
            FROM signals_themeweekcount
            WHERE week BETWEEN %(w0)s AND %(w1)s OR week BETWEEN %(w2)s AND %(w3)s
            UNION ALL
            SELECT theme_id, region_id, sector_id, count, day >= %(start)s AS recent
            FROM signals_themedaycount
            WHERE day BETWEEN %(d0)s AND %(d1)s OR day BETWEEN %(d2)s AND %(d3)s
               OR day BETWEEN %(d4)s AND %(d5)s OR day BETWEEN %(d6)s AND %(d7)s
        ) counts
        GROUP BY theme_id, region_id, sector_id
        HAVING COALESCE(SUM(count) FILTER (WHERE recent), 0) >= %(n)s
    """
    params = {
        "start": window.start,
        "n": rule.min_count,
        **{f"w{i}": d for i, d in enumerate(day for week in weeks for day in week)},
        **{f"d{i}": d for i, d in enumerate(day for edge in days for day in edge)},
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
        if recent <= expected and rule.p_value <= 0.5:
            # P(X ≥ k) ≥ 1/2 for k ≤ λ (a Poisson median is at least λ − ln 2): no rise, and
            # no sum of up to k terms for each of the hundreds of keys at their usual level.
            continue
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
    evidence = Evidence(
        _THEME_EVIDENCE,
        {
            "start": window.start,
            "end": window.end,
            "since": since,
            "partial_keys": [c.key for c in fired if c.partial],
        },
    )
    whole = [c for c in fired if not c.partial]
    ended = set(
        Signal.objects.filter(
            rule=rule,
            key__in=[c.key for c in whole],
            status__in=[SignalStatus.CLOSED, SignalStatus.DISMISSED],
        ).values_list("key", flat=True)
    )
    recount = [c for c in whole if c.key in ended]
    if recount:
        # A rise that was dealt with before counts only its sessions not dealt with yet.
        with connection.cursor() as cursor:
            cursor.execute(
                f"""
                WITH dealt AS ({_DEALT_WITH})
                SELECT r.key, count(*) FROM ({_THEME_EVIDENCE}) r
                WHERE NOT EXISTS (
                    SELECT 1 FROM dealt d WHERE d.session_id = r.session_id AND d.key = r.key
                )
                GROUP BY r.key
                """,
                {
                    **evidence.params,
                    "rule": rule.pk,
                    "keys": [c.key for c in recount],
                    "partial_keys": [],
                },
            )
            counts = dict(cursor.fetchall())
        for c in recount:
            c.count = counts.get(c.key, 0)
    return fired, evidence


# --- applying candidates: open, join, notify --------------------------------------------------


def apply_candidates(
    rule: DetectionRule, window: Window, candidates: list[Candidate], evidence: Evidence
) -> tuple[int, int]:
    """Open new signals, let new sessions join active ones, notify. Returns (opened, grown).

    One statement opens the signals and links their sessions, from one snapshot: a new signal
    is written once, with its count, and claimed for its first message by being inserted (of
    two runs at once only one inserts a key: the partial unique constraint); the links are the
    keys' evidence, less the sessions dealt with under the same key and those linked already
    (a run in steady state writes nothing)."""
    candidates = [c for c in candidates if c.count >= rule.min_count]
    if not candidates:
        return 0, 0
    now = timezone.now()
    by_key = {c.key: c for c in candidates}
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            WITH dealt AS ({_DEALT_WITH}),
            candidate AS (
                SELECT * FROM unnest(
                    %(all_keys)s::text[], %(employers)s::bigint[], %(themes)s::bigint[],
                    %(regions)s::bigint[], %(sectors)s::bigint[], %(baselines)s::float8[],
                    %(scores)s::float8[]
                ) AS t(key, employer, theme, region, sector, baseline, score)
            ),
            evidence AS MATERIALIZED (
                SELECT r.key, r.session_id FROM ({evidence.sql}) r
                WHERE r.key IN (SELECT key FROM candidate) AND NOT EXISTS (
                    SELECT 1 FROM dealt d WHERE d.session_id = r.session_id AND d.key = r.key
                )
            ),
            existing AS (
                SELECT s.id, s.key, s.count, s.sector_id, s.region_id FROM signals_signal s
                WHERE s.rule_id = %(rule)s AND s.key IN (SELECT key FROM candidate)
                  AND s.status IN ('open', 'acknowledged', 'in_progress')
            ),
            opened AS (
                -- ON CONFLICT DO NOTHING: the partial unique constraint; another run won.
                INSERT INTO signals_signal
                    (rule_id, key, employer_id, theme_id, region_id, sector_id, window_start,
                     window_end, count, baseline, score, status, action, outcome,
                     dismiss_reason, opened_at, notified_count, updated_at)
                SELECT %(rule)s, t.key, t.employer, t.theme, t.region, t.sector, %(start)s,
                       %(end)s, COALESCE(e.n, 0), t.baseline, t.score, 'open', '', '', '',
                       %(now)s, COALESCE(e.n, 0), %(now)s
                FROM candidate t
                LEFT JOIN (SELECT key, count(*) AS n FROM evidence GROUP BY key) e
                  ON e.key = t.key
                WHERE t.key NOT IN (SELECT key FROM existing)
                ORDER BY t.key
                ON CONFLICT DO NOTHING
                RETURNING id, key, count, sector_id, region_id
            ),
            target AS (
                SELECT id, key, false AS new FROM existing
                UNION ALL
                SELECT id, key, true AS new FROM opened
            ),
            added AS (
                INSERT INTO signals_signalsession (signal_id, session_id, added_at)
                SELECT t.id, ev.session_id, %(now)s
                FROM evidence ev JOIN target t ON t.key = ev.key
                WHERE t.new OR NOT EXISTS (
                    SELECT 1 FROM signals_signalsession x
                    WHERE x.signal_id = t.id AND x.session_id = ev.session_id
                )
                ON CONFLICT DO NOTHING
                RETURNING signal_id
            ),
            counted AS (SELECT signal_id, count(*) AS added FROM added GROUP BY signal_id)
            SELECT o.id, o.key, true, 0, o.count, o.sector_id, o.region_id FROM opened o
            UNION ALL
            SELECT x.id, x.key, false, c.added, x.count, x.sector_id, x.region_id
            FROM existing x JOIN counted c ON c.signal_id = x.id
            """,
            {
                **evidence.params,
                "rule": rule.pk,
                "start": window.start,
                "end": window.end,
                "now": now,
                "all_keys": list(by_key),
                "keys": [c.key for c in candidates if not c.partial],
                "partial_keys": [c.key for c in candidates if c.partial],
                "employers": [c.employer_id for c in candidates],
                "themes": [c.theme_id for c in candidates],
                "regions": [c.region_id for c in candidates],
                "sectors": [c.sector_id for c in candidates],
                "baselines": [c.baseline for c in candidates],
                "scores": [c.score for c in candidates],
            },
        )
        rows = cursor.fetchall()
    scores = {c.key: (c.baseline, c.score) for c in candidates}
    return _settle(rule, window, rows, scores, now)


def _settle(
    rule: DetectionRule,
    window: Window,
    rows: list[tuple],
    scores: dict[str, tuple[float, float]],
    now: dt.datetime,
) -> tuple[int, int]:
    """After a rule's statement: the grown signals' counts, windows and scores, the messages
    claimed and sent. `rows`: (id, key, is new, links added, count, sector, region) of each
    signal opened or grown; `scores`: (baseline, score) by key of the grown ones."""
    # A new signal without sessions (its count fell short in the evidence) is not announced.
    new = [
        Announced(pk, sector_id, region_id, count)
        for pk, _, is_new, _, count, sector_id, region_id in rows
        if is_new and count > 0
    ]
    added = {pk: n for pk, _, is_new, n, *_ in rows if not is_new}
    keys = {pk: key for pk, key, *_ in rows}
    changed = [
        Announced(pk, sector_id, region_id, count + n)
        for pk, _, is_new, n, count, sector_id, region_id in rows
        if not is_new
    ]
    grown: list[Announced] = []
    if changed:
        with connection.cursor() as cursor:
            # One UPDATE … FROM unnest(): Django's bulk_update builds a CASE per row.
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
                    "baselines": [scores[keys[s.pk]][0] for s in changed],
                    "scores": [scores[keys[s.pk]][1] for s in changed],
                },
            )
            # Claim the messages with a compare-and-swap on notified_count, set-based: of two
            # runs at once only one gets a row back for a signal, so each message is made once.
            changed_ids = [s.pk for s in changed]
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
        new += [s for s in changed if s.pk in new_ids]
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


def _settings_for_a_run() -> None:
    """For the rest of the transaction, in one round trip. A run only recomputes from the
    sessions, so it need not wait for its WAL to reach the disk: a database crash in the moment
    after the commit can lose this run's signals and inbox rows, and the next run (15 minutes
    on) recreates them. Sessions are saved by other transactions and keep the full guarantee.
    The work_mem: room to hash the window's sessions in memory rather than on disk. No JIT: the
    planner's estimate of the joins over the evidence is high enough to compile them, which
    took seconds (measured) for a statement of 100 ms."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT set_config('synchronous_commit', 'off', true), "
            "set_config('work_mem', '64MB', true), set_config('jit', 'off', true)"
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
        with transaction.atomic():
            if rule.kind == RuleKind.EMPLOYER_CLUSTER:
                if not touched.full and not touched.employer_ids:
                    continue
                _settings_for_a_run()
                found, opened, grown = employer_cluster_apply(rule, window, touched.employer_ids)
            else:
                if not touched.full and not (touched.theme_region or touched.theme_sector):
                    continue
                candidates, evidence = theme_rise_candidates(rule, window, touched, since)
                if candidates:
                    _settings_for_a_run()
                found = len(candidates)
                opened, grown = apply_candidates(rule, window, candidates, evidence)
        result.candidates += found
        result.opened += opened
        result.grown += grown
    DetectionRun.objects.filter(pk=run.pk).update(
        finished_at=timezone.now(), opened=result.opened, grown=result.grown
    )
    return result
