"""Benchmark of signal detection at scale.

    python bench/signals_detect.py [--sessions 2000000] [--employers 50000] [--days 730]
                                   [--database fnv_signals_bench] [--keep] [--explain FILE]

Builds its own database (default `fnv_signals_bench` on the server of DATABASE_URL), generates
the data with INSERT … SELECT over generate_series (employers with a skewed popularity, so a
few large employers get many sessions, as in life), then measures:

* detect_full_s: a full run of all rules over everything. Printed twice: the first (cold) run
  opens every signal the data holds; the second is the daily run in steady state. RESULT
  carries the cold one, the harder of the two.
* save_session_ms_p50: the median time of logging one session through the real service
  (session, themes, day counts, consent), over 1,000 new sessions.
* detect_incremental_s: the incremental run after those 1,000 new sessions.

With `--explain FILE`, every statement of the three runs (not of the 1,000 saves) is written
to FILE with its plan, EXPLAIN (ANALYZE, BUFFERS), through auto_explain (needs a superuser);
the timings then include the cost of measuring.

The last line is `RESULT sessions=… detect_full_s=… detect_incremental_s=… save_session_ms_p50=…`.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _database_url(name: str) -> tuple[str, str]:
    base = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    parts = urlparse(base)
    return urlunparse(parts._replace(path=f"/{name}")), urlunparse(parts._replace(path="/postgres"))


def _create_database(name: str, admin_url: str, *, fresh: bool) -> bool:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and fresh:
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            exists = None
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')
            return True
    return False


def _setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_DEBUG", "1")
    os.environ.pop("REDIS_URL", None)  # emails are queued in memory, never sent by the bench
    os.environ["CELERY_TASK_ALWAYS_EAGER"] = "0"
    os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fnvregio.settings")
    import django

    django.setup()


def _count_theme_days(cursor) -> None:
    """The day counts, and the week counts summed from them in one go (the trigger that keeps
    them in step, one upsert per day row, is off meanwhile)."""
    cursor.execute("ALTER TABLE signals_themedaycount DISABLE TRIGGER signals_theme_week_count")
    for column in ("region_id", "sector_id"):
        cursor.execute(
            f"""
            INSERT INTO signals_themedaycount (day, theme_id, {column}, count)
            SELECT day, theme_id, {column}, count(*) FROM signals_sessiontheme
            WHERE {column} IS NOT NULL GROUP BY day, theme_id, {column}
            """
        )
    cursor.execute("ALTER TABLE signals_themedaycount ENABLE TRIGGER signals_theme_week_count")
    cursor.execute(
        """
        INSERT INTO signals_themeweekcount (week, theme_id, region_id, sector_id, count)
        SELECT date_trunc('week', day)::date, theme_id, region_id, sector_id, sum(count)
        FROM signals_themedaycount GROUP BY 1, 2, 3, 4
        """
    )


def _generate(sessions: int, employers: int, days: int) -> None:
    from django.core.management import call_command
    from django.db import connection

    from core.roles import Role
    from members.models import Sector, User
    from regions.models import Region, UnionHouse

    call_command("migrate", verbosity=0)
    sectors = [Sector.objects.get_or_create(name=f"Benchsector {i:02d}")[0] for i in range(15)]
    for sector in sectors:
        official, _ = User.objects.get_or_create(
            email=f"sector{sector.pk}@bench.example", defaults={"role": Role.SECTOR_OFFICIAL}
        )
        official.sectors.add(sector)
    houses = []
    for region in Region.objects.order_by("code"):
        municipality = region.municipalities.order_by("code").first()
        house, _ = UnionHouse.objects.get_or_create(
            name=f"Benchhuis {region.code}",
            defaults={"city": municipality.name, "municipality": municipality},
        )
        houses.append(house)
        coordinator, _ = User.objects.get_or_create(
            email=f"coord{region.code}@bench.example", defaults={"role": Role.COORDINATOR}
        )
        coordinator.regions.add(region)
    consultants = []
    for i in range(280):
        user, _ = User.objects.get_or_create(
            email=f"consulent{i}@bench.example", defaults={"role": Role.CONSULTANT}
        )
        user.union_houses.add(houses[i % len(houses)])
        consultants.append(user.pk)
    sector_ids = [s.pk for s in sectors]
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit = off")
        cursor.execute(
            """
            INSERT INTO members_employer
                (name, kvk_number, aliases, sector_id, is_confirmed, is_demo, created_at)
            SELECT 'Benchwerkgever ' || i || ' B.V.', '', '{}',
                   (%(sectors)s::bigint[])[1 + i %% 15], true, false, now()
            FROM generate_series(1, %(n)s) AS i
            """,
            {"n": employers, "sectors": sector_ids},
        )
        cursor.execute("SELECT min(id) FROM members_employer WHERE name LIKE 'Benchwerkgever %%'")
        first_employer = cursor.fetchone()[0]
        region_ids = [h.region_id for h in houses]  # the same order as the houses
        house_ids = [h.pk for h in houses]
        # Sessions: 70 % about an employer, drawn with popularity ~ u³ (a few large ones).
        cursor.execute(
            """
            INSERT INTO signals_consultationsession
                (at, day, place, union_house_id, region_id, kind, consultant_id, member_id,
                 is_member, employer_id, sector_id, summary, referrals, consent_to_share,
                 follow_up_needed, is_demo, created_at, updated_at)
            SELECT s.at, (s.at AT TIME ZONE 'Europe/Amsterdam')::date, 'union_house',
                   (%(houses)s::bigint[])[s.r], (%(regions)s::bigint[])[s.r], 'work_income',
                   (%(consultants)s::bigint[])[1 + (s.i %% 280)], NULL, false,
                   s.e, CASE WHEN s.e IS NULL THEN NULL
                             ELSE (%(sectors)s::bigint[])[1 + ((s.e - %(first)s + 1) %% 15)] END,
                   '', '[]'::jsonb, false, false, false, s.at, s.at
            FROM (
                SELECT i,
                       now() - random() * make_interval(days => %(days)s) AS at,
                       1 + floor(random() * 35)::int AS r,
                       CASE WHEN random() < 0.7
                            THEN %(first)s + floor(%(employers)s * power(random(), 3))::bigint
                       END AS e
                FROM generate_series(1, %(n)s) AS i
            ) s
            ORDER BY s.at  -- as in life: sessions arrive in time order
            """,
            {
                "n": sessions,
                "days": days,
                "employers": employers,
                "first": first_employer,
                "houses": house_ids,
                "regions": region_ids,
                "consultants": consultants,
                "sectors": sector_ids,
            },
        )
        cursor.execute("SELECT array_agg(id ORDER BY id) FROM signals_theme")
        theme_ids = cursor.fetchone()[0]
        # One theme per session, a second one for two in five.
        cursor.execute(
            """
            INSERT INTO signals_sessiontheme (session_id, theme_id, day, region_id, sector_id,
                                              employer_id)
            SELECT s.id, (%(themes)s::bigint[])[1 + t.k], s.day, s.region_id, s.sector_id,
                   s.employer_id
            FROM signals_consultationsession s
            CROSS JOIN LATERAL (
                SELECT (hashint8(s.id) & 1023) %% 15 AS k
                UNION ALL
                SELECT ((hashint8(s.id) & 1023) %% 15 + 1 + (s.id %% 7)) %% 15
                WHERE s.id %% 5 < 2
            ) t
            ORDER BY s.id
            """,
            {"themes": theme_ids},
        )
        _count_theme_days(cursor)
    with connection.cursor() as cursor:  # autocommit: as autovacuum would have done by now
        cursor.execute("VACUUM ANALYZE signals_consultationsession")
        cursor.execute("VACUUM ANALYZE signals_sessiontheme")
    for table in (
        "signals_consultationsession",
        "signals_sessiontheme",
        "signals_themedaycount",
        "signals_themeweekcount",
        "members_employer",
    ):
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {table}")
    print(f"generated {sessions} sessions in {time.perf_counter() - started:.1f} s", flush=True)


class _Explain:
    """auto_explain's plans of every statement, sent to this client as NOTICEs, to a file."""

    def __init__(self, path: str | None) -> None:
        self.file = open(path, "w") if path else None  # noqa: SIM115 (closed in main)

    def section(self, title: str, *, on: bool = True) -> None:
        if self.file is None:
            return
        from django.db import connection

        connection.ensure_connection()
        raw = connection.connection
        if not getattr(self, "_hooked", False):
            with connection.cursor() as cursor:
                cursor.execute("LOAD 'auto_explain'")
                cursor.execute("SET auto_explain.log_analyze = on")
                cursor.execute("SET auto_explain.log_buffers = on")
                cursor.execute("SET auto_explain.log_nested_statements = on")
                cursor.execute("SET auto_explain.log_level = notice")
            raw.add_notice_handler(lambda d: self.file.write(d.message_primary + "\n\n"))
            self._hooked = True
        with connection.cursor() as cursor:
            cursor.execute(f"SET auto_explain.log_min_duration = {0 if on else -1}")
        if on:
            self.file.write(f"\n===== {title} =====\n\n")
        self.file.flush()


def _measure(explain: _Explain | None = None) -> dict:
    import random

    from django.db import connection
    from django.utils import timezone

    from core.roles import Role
    from members.models import Employer, User
    from signals.detection import run_detection
    from signals.models import ConsultationSession, Place, SessionKind, Theme
    from signals.services import SessionDetails, session_log

    total = ConsultationSession.objects.count()
    figures: dict = {"sessions": total}
    explain = explain or _Explain(None)

    explain.section("full run (cold)")
    started = time.perf_counter()
    result = run_detection(full=True)
    figures["detect_full_s"] = time.perf_counter() - started
    print(
        f"full run (cold): {figures['detect_full_s']:.3f} s, {result.candidates} candidates, "
        f"{result.opened} opened",
        flush=True,
    )
    explain.section("full run (steady state)")
    started = time.perf_counter()
    result = run_detection(full=True)
    figures["detect_full_warm_s"] = time.perf_counter() - started
    print(
        f"full run (steady state): {figures['detect_full_warm_s']:.3f} s, "
        f"{result.candidates} candidates",
        flush=True,
    )

    explain.section("saves", on=False)
    rng = random.Random(7)
    consultants = list(
        User.objects.filter(role=Role.CONSULTANT).prefetch_related("union_houses")[:280]
    )
    themes = list(Theme.objects.all())
    employer_ids = list(
        Employer.objects.filter(name__startswith="Benchwerkgever").values_list("pk", flat=True)
    )
    # New sessions follow the same skewed popularity as the generated history.
    picked = [employer_ids[int(len(employer_ids) * rng.random() ** 3)] for _ in range(1000)]
    employers = Employer.objects.in_bulk(set(picked))
    timings = []
    for employer_id in picked:
        consultant = rng.choice(consultants)
        house = consultant.union_houses.all()[0]
        started = time.perf_counter()
        session_log(
            consultant=consultant,
            details=SessionDetails(
                at=timezone.now(),
                place=Place.UNION_HOUSE,
                union_house=house,
                kind=SessionKind.WORK_INCOME,
                member=None,
                employer=employers[employer_id],
                sector=None,
                themes=rng.sample(themes, k=rng.choice([1, 1, 2])),
                summary="Benchmarkgesprek",
            ),
        )
        timings.append((time.perf_counter() - started) * 1000)
    figures["save_session_ms_p50"] = statistics.median(timings)
    print(
        f"save session: p50 {figures['save_session_ms_p50']:.1f} ms, "
        f"p95 {statistics.quantiles(timings, n=20)[-1]:.1f} ms",
        flush=True,
    )
    explain.section("incremental run")
    started = time.perf_counter()
    result = run_detection()
    figures["detect_incremental_s"] = time.perf_counter() - started
    print(
        f"incremental run: {figures['detect_incremental_s']:.3f} s "
        f"(full={result.full}), {result.candidates} candidates, {result.opened} opened, "
        f"{result.grown} grown",
        flush=True,
    )
    connection.close()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=2_000_000)
    parser.add_argument("--employers", type=int, default=50_000)
    parser.add_argument("--days", type=int, default=730)
    parser.add_argument("--database", default="fnv_signals_bench")
    parser.add_argument(
        "--keep", action="store_true", help="reuse the generated data of an earlier run"
    )
    parser.add_argument(
        "--explain", metavar="FILE", help="write every statement's EXPLAIN (ANALYZE, BUFFERS)"
    )
    args = parser.parse_args()
    url, admin_url = _database_url(args.database)
    created = _create_database(args.database, admin_url, fresh=not args.keep)
    _setup_django(url)
    if created or not args.keep:
        _generate(args.sessions, args.employers, args.days)
    else:
        from django.core.management import call_command
        from django.db import connection

        call_command("migrate", verbosity=0)
        with connection.cursor() as cursor:  # back to the generated data, without signals
            cursor.execute(
                "TRUNCATE signals_signalnotification, signals_signalsession, signals_signal, "
                "signals_detectionrun, signals_themedaycount, signals_themeweekcount CASCADE"
            )
            # Sessions logged by an earlier measurement (generated ones have no summary).
            cursor.execute(
                "DELETE FROM signals_consent WHERE session_id IN "
                "(SELECT id FROM signals_consultationsession WHERE summary <> '')"
            )
            cursor.execute(
                "DELETE FROM signals_sessiontheme WHERE session_id IN "
                "(SELECT id FROM signals_consultationsession WHERE summary <> '')"
            )
            cursor.execute("DELETE FROM signals_consultationsession WHERE summary <> ''")
            _count_theme_days(cursor)
            cursor.execute("ANALYZE signals_themeweekcount")
    explain = _Explain(args.explain)
    figures = _measure(explain)
    if explain.file is not None:
        explain.file.close()
    print(
        f"RESULT sessions={figures['sessions']} detect_full_s={figures['detect_full_s']:.3f} "
        f"detect_incremental_s={figures['detect_incremental_s']:.3f} "
        f"save_session_ms_p50={figures['save_session_ms_p50']:.1f}"
    )


if __name__ == "__main__":
    main()
