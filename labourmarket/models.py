"""Labour-market figures per region and period, as published by CBS (StatLine) or UWV and
uploaded by an admin. Public statistics about a region, not about members: no personal data.

A re-upload of a period replaces its figures: the old row stays (is_current False) for the
record, the new one gets the next version number and a note saying what it replaced.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class LabourMarketUpload(models.Model):
    filename = models.CharField(_("bestandsnaam"), max_length=255)
    source = models.CharField(_("bron"), max_length=100)
    sha256 = models.CharField(_("controlegetal"), max_length=64)
    row_count = models.PositiveIntegerField(_("rijen"), default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("geüpload door"),
    )
    uploaded_at = models.DateTimeField(_("geüpload op"), auto_now_add=True)

    class Meta:
        ordering = ["-uploaded_at", "-pk"]
        verbose_name = _("upload van arbeidsmarktcijfers")
        verbose_name_plural = _("uploads van arbeidsmarktcijfers")

    def __str__(self) -> str:
        return f"{self.filename} ({self.source})"


class LabourMarketFigureQuerySet(models.QuerySet):
    def current(self) -> LabourMarketFigureQuerySet:
        return self.filter(is_current=True)


class LabourMarketFigure(models.Model):
    region = models.ForeignKey(
        "regions.Region",
        on_delete=models.PROTECT,
        related_name="labour_market_figures",
        verbose_name=_("regio"),
    )
    period = models.CharField(_("periode"), max_length=10)  # "2026-09", "2026-K3", "2026"
    period_start = models.DateField(_("periode vanaf"))
    period_end = models.DateField(_("periode tot en met"))
    vacancies = models.PositiveIntegerField(_("vacatures"), null=True, blank=True)
    unemployment_rate = models.DecimalField(
        _("werkloosheid (%)"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    benefit_recipients = models.PositiveIntegerField(_("WW-uitkeringen"), null=True, blank=True)
    tension = models.DecimalField(
        _("spanningsindicator"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    source = models.CharField(_("bron"), max_length=100)
    is_example = models.BooleanField(
        _("voorbeeld"),
        default=False,
        help_text=_("Voorbeeldcijfers uit het meegeleverde bestand: geen echte cijfers."),
    )
    upload = models.ForeignKey(
        LabourMarketUpload,
        on_delete=models.CASCADE,
        related_name="figures",
        verbose_name=_("upload"),
    )
    version = models.PositiveIntegerField(_("versie"), default=1)
    version_note = models.CharField(_("versienotitie"), max_length=300, blank=True)
    is_current = models.BooleanField(_("geldend"), default=True)

    objects = LabourMarketFigureQuerySet.as_manager()

    class Meta:
        ordering = ["region", "-period_start", "-version"]
        verbose_name = _("arbeidsmarktcijfer")
        verbose_name_plural = _("arbeidsmarktcijfers")
        constraints = [
            models.UniqueConstraint(
                fields=["region", "period"],
                condition=Q(is_current=True),
                name="labour_market_one_current_per_period",
            )
        ]
        indexes = [models.Index(fields=["region", "is_current", "period_end"])]

    def __str__(self) -> str:
        return f"{self.region_id} {self.period} v{self.version}"
