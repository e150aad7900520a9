"""Reference data: the 35 labour-market regions, municipalities, postcodes and union houses."""

from __future__ import annotations

import re

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

REGION_CODE = re.compile(r"AM[0-9]{2}", re.IGNORECASE)


class RegionQuerySet(models.QuerySet):
    def with_code(self, code: str) -> RegionQuerySet:
        """The region with this code, in any case. Anything that cannot be a code (a NUL byte,
        100,000 characters from a URL) finds nothing without asking the database."""
        if not REGION_CODE.fullmatch(code):
            return self.none()
        return self.filter(code=code.upper())


class Region(models.Model):
    """An arbeidsmarktregio, with its official CBS code (AM01 … AM38)."""

    code = models.CharField(_("code"), max_length=4, unique=True)
    name = models.CharField(_("naam"), max_length=100)
    boundary = models.JSONField(_("grens (GeoJSON)"), null=True, blank=True, editable=False)

    objects = RegionQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("arbeidsmarktregio")
        verbose_name_plural = _("arbeidsmarktregio's")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("regions:detail", kwargs={"code": self.code})


class Municipality(models.Model):
    """A gemeente (CBS code GM0363) in exactly one region."""

    code = models.CharField(_("code"), max_length=6, unique=True)
    name = models.CharField(_("naam"), max_length=100)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="municipalities", verbose_name=_("regio")
    )
    latitude = models.FloatField(_("breedtegraad (midden)"), null=True, blank=True)
    longitude = models.FloatField(_("lengtegraad (midden)"), null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("gemeente")
        verbose_name_plural = _("gemeenten")

    def __str__(self) -> str:
        return self.name


class PostcodeArea(models.Model):
    """A 4-digit postcode and the municipality most of it lies in (derived data: a best guess)."""

    pc4 = models.CharField(_("postcode (4 cijfers)"), max_length=4, primary_key=True)
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="postcodes", verbose_name=_("gemeente")
    )
    place_names = models.CharField(_("plaatsnamen"), max_length=200, blank=True)
    spans_municipalities = models.BooleanField(
        _("ligt in meer gemeenten"),
        default=False,
        help_text=_("De postcode raakt meer dan één gemeente; de toewijzing is een schatting."),
    )

    class Meta:
        ordering = ["pc4"]
        verbose_name = _("postcodegebied")
        verbose_name_plural = _("postcodegebieden")

    def __str__(self) -> str:
        return self.pc4


class UnionHouseQuerySet(models.QuerySet):
    def active(self) -> UnionHouseQuerySet:
        return self.filter(is_active=True)

    def hosting_career_hours(self) -> UnionHouseQuerySet:
        return self.active().filter(hosts_career_hours=True)


class UnionHouse(models.Model):
    """A vakbondshuis: a union office where hours are held. Maintained by admins."""

    name = models.CharField(_("naam"), max_length=120, unique=True)
    street = models.CharField(_("straat"), max_length=120, blank=True)
    house_number = models.CharField(_("huisnummer"), max_length=20, blank=True)
    postcode = models.CharField(_("postcode"), max_length=7, blank=True)
    city = models.CharField(_("plaats"), max_length=80)
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="union_houses",
        verbose_name=_("gemeente"),
    )
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="union_houses", verbose_name=_("regio")
    )
    hosts_career_hours = models.BooleanField(_("houdt loopbaanspreekuren"), default=True)
    is_active = models.BooleanField(_("actief"), default=True)
    is_demo = models.BooleanField(
        _("demodata"), default=False, help_text=_("Fictief vakbondshuis uit de demoset.")
    )

    objects = UnionHouseQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("vakbondshuis")
        verbose_name_plural = _("vakbondshuizen")

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        # The region always follows the municipality, so the two can never disagree.
        self.region_id = self.municipality.region_id
        super().save(*args, **kwargs)

    @property
    def address(self) -> str:
        return f"{self.street} {self.house_number}, {self.postcode} {self.city}".strip(" ,")
