"""The dashboards' figures as last computed (dashboard/snapshots.py): one row per region (or the
national view) and language, holding exactly what the page shows, after the minimum-group rule.

Aggregates only, no personal data: what a row holds is shown to everyone who may see that
region's dashboard, and access is checked before a row is read.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class DashboardSnapshot(models.Model):
    # "region:<pk>" or "national"
    scope = models.CharField(_("onderdeel"), max_length=30)
    language = models.CharField(_("taal"), max_length=10)
    taken_at = models.DateTimeField(_("cijfers van"))
    # The page's figures, protected (dashboard.snapshots.region_json / national_json).
    figures = models.JSONField(_("cijfers"))

    class Meta:
        verbose_name = _("stand van een dashboard")
        verbose_name_plural = _("standen van de dashboards")
        constraints = [
            models.UniqueConstraint(fields=["scope", "language"], name="dashboard_snapshot_once")
        ]

    def __str__(self) -> str:
        return f"{self.scope} ({self.language}) {self.taken_at:%Y-%m-%d %H:%M}"
