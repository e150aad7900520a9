"""Benchmark of a region dashboard at a million members.

    python bench/dashboard.py [--members 1000000] [--sessions 500000] [--database fnv_dashboard_bench]
                              [--keep] [--runs 5]

Builds its own database (default `fnv_dashboard_bench` on the server of DATABASE_URL) with the
signals benchmark's builder (bench/signals_detect.py: sectors, union houses, coordinators,
consultants, employers and consultation sessions over 35 regions), then adds `--members`
members with INSERT … SELECT over generate_series: spread over the 35 regions with one large
region (a fifth of everyone in AM13, Midden-Utrecht), over its municipalities and 15 sectors,
joining over ten years (so about a tenth joined in the last 12 months) and one in eight ended.
The example labour-market file is loaded as well.

It then computes the dashboards' figures as the nightly task does (dashboard.snapshots.
refresh_all: every region and the national view, in Dutch) and times that, and the large
region's figures on their own (what a page costs when nothing is stored yet, or what the
background task costs for one region), `--runs` times. Then it requests the dashboard of the
large region as its coordinator through Django's test client (the whole view: access, the
stored figures, the plan of the year, the template), `--runs` times after one warm-up, and
prints the page's median time and its number of queries, and the same for the national view
as an admin. The last line is
`RESULT members=… region_ms_p50=… region_queries=… national_ms_p50=… region_compute_ms_p50=…
refresh_all_ms=… ping_ms_p50=…` (the last: /healthz through the same client, a yardstick).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import signals_detect  # noqa: E402  (the builder of the signals benchmark, beside this file)


def _members(count: int) -> None:
    from django.db import connection

    from members.models import Sector
    from regions.models import Region

    sector_ids = list(Sector.objects.order_by("pk").values_list("pk", flat=True))[:15]
    regions = list(Region.objects.order_by("code"))
    large = next(r for r in regions if r.code == "AM13")
    others = [r for r in regions if r.pk != large.pk]
    municipalities = {
        r.pk: list(r.municipalities.order_by("code").values_list("pk", flat=True)) or [None]
        for r in regions
    }
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit = off")
        # A fifth in the large region, the rest spread over the other 34.
        for region, share in [(large, 0.2), *[(r, 0.8 / len(others)) for r in others]]:
            n = int(count * share)
            towns = municipalities[region.pk]
            cursor.execute(
                """
                INSERT INTO members_member
                    (member_number, initials, first_name, name_prefix, last_name, email, phone,
                     street, house_number, postcode, city, municipality_id, region_id,
                     region_is_explicit, birth_date, sector_id, employer_id, status,
                     member_since, ended_on, user_id, is_demo, erased_at, created_at, updated_at)
                SELECT 'B' || substr(%(code)s, 3) || i, '', 'Bench', '', 'Lid ' || i, '', '', '', '',
                       '', '', (%(towns)s::bigint[])[1 + (hashint4(i) & 1023) %% %(ntowns)s],
                       %(region)s, false, NULL,
                       (%(sectors)s::bigint[])[1 + (hashint4(i + 7) & 1023) %% 15], NULL,
                       CASE WHEN i %% 8 = 0 THEN 'ended' ELSE 'active' END,
                       s.since,
                       CASE WHEN i %% 8 = 0 THEN s.since + (random() * (current_date - s.since))::int END,
                       NULL, false, NULL, now(), now()
                FROM generate_series(1, %(n)s) AS i
                CROSS JOIN LATERAL (
                    -- "- i %% 1" ties the draw to the row, so each member gets their own date
                    SELECT current_date - (random() * 3650)::int - i %% 1 AS since
                ) s
                """,
                {
                    "code": region.code,
                    "towns": towns,
                    "ntowns": len(towns),
                    "region": region.pk,
                    "sectors": sector_ids,
                    "n": n,
                },
            )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE members_member")
    print(f"generated {count} members in {time.perf_counter() - started:.1f} s", flush=True)


def _labour_market() -> None:
    from labourmarket.demo import seed

    seed(rng=None, fake=None)


def _time(client, url: str, runs: int) -> tuple[float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    warm = client.get(url)  # warm-up
    assert warm.status_code == 200, (warm.status_code, warm.get("Location"))
    times = []
    queries = 0
    for _ in range(runs):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - started)
        assert response.status_code == 200, response.status_code
        queries = len(captured)
    return statistics.median(times) * 1000, queries


def _measure(runs: int) -> dict:
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import reverse
    from django.utils import translation

    from core.roles import Role
    from dashboard import snapshots
    from members.models import Member, User
    from regions.models import Region
    from tests.conftest import login

    setup_test_environment()
    region = Region.objects.get(code="AM13")
    with translation.override("nl"):
        started = time.perf_counter()
        snapshots.refresh_all(["nl"])
        refresh_all_ms = (time.perf_counter() - started) * 1000
        computing = []
        for _ in range(runs):
            started = time.perf_counter()
            snapshots.refresh_region(region)
            computing.append(time.perf_counter() - started)
    coordinator = User.objects.filter(role=Role.COORDINATOR, regions=region).first()
    admin, _ = User.objects.get_or_create(
        email="beheer@bench.example", defaults={"role": Role.ADMIN, "is_staff": True}
    )
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    for user in (coordinator, admin):  # staff pass the second factor (tests/conftest.login)
        if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
            TOTP.activate(user, generate_totp_secret())
    client = Client()
    login(client, coordinator)
    region_ms, region_queries = _time(
        client, reverse("dashboard:region", kwargs={"code": "AM13"}), runs
    )
    login(client, admin)
    national_ms, _ = _time(client, reverse("dashboard:national"), runs)
    # The ping view through the same client, as a yardstick on a loaded machine.
    ping_ms, _ = _time(client, reverse("healthz"), runs)
    return {
        "members": Member.objects.count(),
        "in_region": Member.objects.filter(region=region).count(),
        "region_ms": region_ms,
        "region_queries": region_queries,
        "national_ms": national_ms,
        "ping_ms": ping_ms,
        "region_compute_ms": statistics.median(computing) * 1000,
        "refresh_all_ms": refresh_all_ms,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--members", type=int, default=1_000_000)
    parser.add_argument("--sessions", type=int, default=500_000)
    parser.add_argument("--database", default="fnv_dashboard_bench")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", action="store_true", help="reuse the data of an earlier run")
    args = parser.parse_args()
    url, admin_url = signals_detect._database_url(args.database)
    created = signals_detect._create_database(args.database, admin_url, fresh=not args.keep)
    signals_detect._setup_django(url)
    if created or not args.keep:
        signals_detect._generate(args.sessions, 20_000, 365)
        _members(args.members)
        _labour_market()
    else:
        from django.core.management import call_command

        from members.models import Member

        call_command("migrate", verbosity=0)
        if not Member.objects.exists():  # an earlier run stopped before the members
            _members(args.members)
            _labour_market()
    figures = _measure(args.runs)
    print(
        f"members: {figures['members']}, of which in AM13: {figures['in_region']}\n"
        f"RESULT members={figures['members']} region_ms_p50={figures['region_ms']:.0f} "
        f"region_queries={figures['region_queries']} "
        f"national_ms_p50={figures['national_ms']:.0f} "
        f"region_compute_ms_p50={figures['region_compute_ms']:.0f} "
        f"refresh_all_ms={figures['refresh_all_ms']:.0f} ping_ms_p50={figures['ping_ms']:.1f}"
    )


if __name__ == "__main__":
    main()
