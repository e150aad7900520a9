"""`python manage.py refresh_dashboards`: compute and store every dashboard's figures now (every
region and the national view, in every language), as the nightly task does. For after a deploy
that changes dashboard.snapshots.FORMAT, so no page has to compute its figures itself."""

from __future__ import annotations

import time

from django.conf import settings
from django.core.management.base import BaseCommand

from dashboard.snapshots import refresh_all


class Command(BaseCommand):
    help = "Bereken de cijfers van alle dashboards nu (zoals de nachtelijke taak)."

    def handle(self, *args, **options):
        started = time.perf_counter()
        stored = refresh_all([code for code, _name in settings.LANGUAGES])
        self.stdout.write(f"{stored} dashboards berekend in {time.perf_counter() - started:.1f} s.")
