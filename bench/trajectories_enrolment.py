"""Benchmark of workshop enrolment under contention, and of the outcome figures.

    python bench/trajectories_enrolment.py [--people 200] [--threads 8] [--capacity 25]

Creates one session and N active trajectories (one bench adviser `bench-adviser@example.invalid`, kept,
member numbers from 9100000000), lets T threads enrol them all at once through
`services.enrol` (the session row lock serialises them), checks that exactly `capacity`
got a place, then times `outcome_figures` over all trajectories of the region. Uses the
database of DATABASE_URL; everything it made is removed before and after. Last line:

RESULT people=… threads=… enrol_s=… per_enrol_ms=… enrolled=… waiting=… figures_ms=…
"""

from __future__ import annotations

import argparse
import datetime
import os
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fnvregio.settings")
os.environ.setdefault("DJANGO_DEBUG", "1")
os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "1")
os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from core.roles import Role  # noqa: E402
from members.models import Member, User  # noqa: E402
from regions.models import Region  # noqa: E402
from trajectories import enrolling, services  # noqa: E402
from trajectories.models import (  # noqa: E402
    Enrolment,
    IntakeRequest,
    Trajectory,
    Workshop,
    WorkshopSession,
)
from trajectories.selectors import outcome_figures  # noqa: E402

PREFIX = "bench-"
DOMAIN = "@example.invalid"


def clean() -> None:
    Trajectory.objects.filter(adviser__email__startswith=PREFIX).delete()
    IntakeRequest.objects.filter(member__member_number__startswith="91").delete()
    Member.objects.filter(
        member_number__startswith="91", member_number__regex=r"^91\d{8}$"
    ).delete()
    WorkshopSession.objects.filter(workshop__title="Bench-workshop").delete()
    Workshop.objects.filter(title="Bench-workshop").delete()
    # The bench adviser stays: the audit log refers to it and is append-only.


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=200)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--capacity", type=int, default=25)
    args = parser.parse_args()
    clean()
    region = Region.objects.get(code="AM13")
    adviser = User.objects.filter(email=f"{PREFIX}adviser{DOMAIN}").first() or (
        User.objects.create_user(f"{PREFIX}adviser{DOMAIN}", None, role=Role.ADVISER)
    )
    adviser.regions.add(region)
    trajectories = []
    for i in range(args.people):
        member = Member.objects.create(
            member_number=str(9100000000 + i), last_name=f"Bench {i}", region=region
        )
        request = IntakeRequest.objects.create(region=region, member=member, source="direct")
        t = services.intake_take(
            adviser=adviser, intake_request=request, kind="career", reason="other"
        )
        services.goal_add(by=adviser, plan=t.plan, description="x", due_on=None)
        services.plan_agree(
            by=adviser,
            plan=t.plan,
            agreed_end_on=timezone.localdate() + datetime.timedelta(weeks=20),
        )
        t.refresh_from_db()
        trajectories.append(t)
    workshop = Workshop.objects.create(title="Bench-workshop", mode="online")
    starts = timezone.now() + datetime.timedelta(days=3)
    session = WorkshopSession.objects.create(
        workshop=workshop,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=2),
        capacity=args.capacity,
    )
    chunks = [trajectories[i :: args.threads] for i in range(args.threads)]
    barrier = threading.Barrier(args.threads)

    def run(chunk) -> None:
        try:
            barrier.wait()
            for t in chunk:
                enrolling.enrol(by=adviser, trajectory=t, session=session)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(c,)) for c in chunks]
    began = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    enrol_s = time.perf_counter() - began
    enrolled = Enrolment.objects.filter(session=session, status="enrolled").count()
    waiting = Enrolment.objects.filter(session=session, status="waiting").count()
    assert enrolled == min(args.capacity, args.people), enrolled
    began = time.perf_counter()
    outcome_figures(Trajectory.objects.filter(region=region))
    figures_ms = (time.perf_counter() - began) * 1000
    clean()
    print(
        f"RESULT people={args.people} threads={args.threads} enrol_s={enrol_s:.2f} "
        f"per_enrol_ms={enrol_s * 1000 / args.people:.1f} enrolled={enrolled} waiting={waiting} "
        f"figures_ms={figures_ms:.1f}"
    )


if __name__ == "__main__":
    main()
