"""Reference data: the 35 labour-market regions, municipalities, postcodes and union houses."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from core import bounds

REGION_CODE = re.compile(r"AM[0-9]{2}", re.IGNORECASE)


class RegionQuerySet(models.QuerySet):
    def with_code(self, code: str) -> RegionQuerySet:
        """The region with this code, in any case. Anything that cannot be a code (a NUL byte,
        100,000 characters from a URL) finds nothing without asking the database."""
        if not REGION_CODE.fullmatch(code):
            return self.none()
        return self.filter(code=code.upper())

    def with_boundary(self) -> RegionQuerySet:
        """With the GeoJSON boundary, which the maps need and nothing else does."""
        return self.defer(None)


_RegionManagerBase = models.Manager.from_queryset(RegionQuerySet)


class RegionManager(_RegionManagerBase):
    """The boundary (GeoJSON, about 1 KB a region) is left out unless asked for: decoding it
    for every region a page names cost more than the rest of the page (bench/pages.py)."""

    def get_queryset(self) -> RegionQuerySet:
        return RegionQuerySet(self.model, using=self._db).defer("boundary")


class Region(models.Model):
    """An arbeidsmarktregio, with its official CBS code (AM01 … AM38)."""

    code = models.CharField(_("code"), max_length=4, unique=True)
    name = models.CharField(_("naam"), max_length=100)
    boundary = models.JSONField(_("grens (GeoJSON)"), null=True, blank=True, editable=False)

    objects = RegionManager()

    class Meta:
        # Related lookups (member.region, user.regions) go through this manager too.
        base_manager_name = "objects"
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

    def public(self) -> UnionHouseQuerySet:
        """The houses shown on the public pages: active and not hidden by an admin."""
        return self.filter(is_active=True, is_public=True)

    def hosting_career_hours(self) -> UnionHouseQuerySet:
        return self.active().filter(hosts_career_hours=True)


class UnionHouse(models.Model):
    """A vakbondshuis: a union office where hours are held. Maintained by admins."""

    name = models.CharField(_("naam"), max_length=120, unique=True)
    slug = models.SlugField(
        _("adres op de website"),
        max_length=140,
        unique=True,
        blank=True,
        help_text=_("Het laatste deel van /vakbondshuizen/…/; leeg: gemaakt uit de naam."),
    )
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
    phone = models.CharField(_("telefoonnummer"), max_length=30, blank=True)
    email = models.EmailField(_("e-mailadres"), blank=True)
    directions = models.TextField(
        _("route"),
        blank=True,
        help_text=_("Hoe u er komt, in woorden: bus of trein, ingang, verdieping."),
    )
    accessibility = models.TextField(
        _("toegankelijkheid"),
        blank=True,
        help_text=_("Rolstoeltoegankelijk, lift, parkeren, openbaar vervoer."),
    )
    hosts_career_hours = models.BooleanField(_("houdt loopbaanspreekuren"), default=True)
    is_public = models.BooleanField(
        _("openbaar"),
        default=True,
        help_text=_("Tonen op de openbare pagina's en bij zoeken op postcode."),
    )
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
        if not self.slug:
            self.slug = unique_slug(self.name, exclude_pk=self.pk)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("regions:house", kwargs={"slug": self.slug})

    @property
    def address(self) -> str:
        return house_address(self.street, self.house_number, self.postcode, self.city)


def house_address(street: str, house_number: str, postcode: str, city: str) -> str:
    """ "Straat 1, 3511 AB Utrecht", without a stray comma where parts are missing."""
    return f"{street} {house_number}, {postcode} {city}".strip(" ,")


def unique_slug(name: str, *, exclude_pk: int | None = None) -> str:
    """A slug made from `name` that no other union house has yet ("vakbondshuis-utrecht-2")."""
    base = slugify(name)[:130] or "vakbondshuis"
    others = UnionHouse.objects.filter(slug__startswith=base)
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    taken = set(others.values_list("slug", flat=True))
    slug, number = base, 1
    while slug in taken:
        number += 1
        slug = f"{base}-{number}"
    return slug


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("maandag")
    TUESDAY = 1, _("dinsdag")
    WEDNESDAY = 2, _("woensdag")
    THURSDAY = 3, _("donderdag")
    FRIDAY = 4, _("vrijdag")
    SATURDAY = 5, _("zaterdag")
    SUNDAY = 6, _("zondag")


class HoursKind(models.TextChoices):
    WORK_INCOME = "work_income", _("Spreekuur werk & inkomen")
    CAREER = "career", _("Loopbaanspreekuur")


def _overlapping(queryset: models.QuerySet, instance: models.Model, **lookups) -> bool:
    others = queryset.filter(**lookups)
    if instance.pk:
        others = others.exclude(pk=instance.pk)
    return others.exists()


class OpeningHours(models.Model):
    """One opening period of a house on a weekday (a day with a lunch break has two)."""

    house = models.ForeignKey(
        UnionHouse,
        on_delete=models.CASCADE,
        related_name="opening_hours",
        verbose_name=_("vakbondshuis"),
    )
    weekday = models.PositiveSmallIntegerField(_("dag"), choices=Weekday.choices)
    opens = models.TimeField(_("open vanaf"))
    closes = models.TimeField(_("open tot"))

    class Meta:
        ordering = ["house", "weekday", "opens"]
        verbose_name = _("openingstijd")
        verbose_name_plural = _("openingstijden")
        constraints = [
            models.CheckConstraint(
                condition=Q(closes__gt=F("opens")), name="regions_opening_closes_after_opens"
            ),
            models.CheckConstraint(
                condition=Q(weekday__gte=0, weekday__lte=6), name="regions_opening_weekday"
            ),
            models.UniqueConstraint(
                fields=["house", "weekday", "opens"], name="regions_opening_unique_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens:%H:%M}-{self.closes:%H:%M}"

    def clean(self) -> None:
        if self.opens is not None and self.closes is not None and self.closes <= self.opens:
            raise ValidationError({"closes": _("De sluitingstijd moet na de openingstijd liggen.")})
        if (
            self.house_id
            and self.opens is not None
            and self.closes is not None
            and _overlapping(
                OpeningHours.objects.all(),
                self,
                house_id=self.house_id,
                weekday=self.weekday,
                opens__lt=self.closes,
                closes__gt=self.opens,
            )
        ):
            raise ValidationError(
                _("Deze openingstijd overlapt met een andere openingstijd op dezelfde dag.")
            )


class ConsultationHours(models.Model):
    """A weekly consultation hour of one kind at a house ("wo 13:00-16:00 loopbaanspreekuur")."""

    house = models.ForeignKey(
        UnionHouse,
        on_delete=models.CASCADE,
        related_name="consultation_hours",
        verbose_name=_("vakbondshuis"),
    )
    kind = models.CharField(_("soort"), max_length=20, choices=HoursKind.choices)
    weekday = models.PositiveSmallIntegerField(_("dag"), choices=Weekday.choices)
    starts = models.TimeField(_("van"))
    ends = models.TimeField(_("tot"))
    note = models.CharField(
        _("opmerking"),
        max_length=200,
        blank=True,
        help_text=_("Bijvoorbeeld: zonder afspraak, of alleen op afspraak."),
    )

    class Meta:
        ordering = ["house", "kind", "weekday", "starts"]
        verbose_name = _("spreekuur")
        verbose_name_plural = _("spreekuren")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends__gt=F("starts")), name="regions_consultation_ends_after_starts"
            ),
            models.CheckConstraint(
                condition=Q(weekday__gte=0, weekday__lte=6), name="regions_consultation_weekday"
            ),
            models.UniqueConstraint(
                fields=["house", "kind", "weekday", "starts"],
                name="regions_consultation_unique_start",
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.get_kind_display()}: {self.get_weekday_display()} "
            f"{self.starts:%H:%M}-{self.ends:%H:%M}"
        )

    def clean(self) -> None:
        if self.starts is not None and self.ends is not None and self.ends <= self.starts:
            raise ValidationError({"ends": _("Het spreekuur moet eindigen na het begin.")})
        if (
            self.house_id
            and self.starts is not None
            and self.ends is not None
            and _overlapping(
                ConsultationHours.objects.all(),
                self,
                house_id=self.house_id,
                kind=self.kind,
                weekday=self.weekday,
                starts__lt=self.ends,
                ends__gt=self.starts,
            )
        ):
            raise ValidationError(
                _("Dit spreekuur overlapt met een ander spreekuur van dezelfde soort op die dag.")
            )


class HouseClosureQuerySet(models.QuerySet):
    def covering(self, day) -> HouseClosureQuerySet:
        return self.filter(starts_on__lte=day, ends_on__gte=day)

    def coming(self, today) -> HouseClosureQuerySet:
        return self.filter(ends_on__gte=today).order_by("starts_on")


class HouseClosure(models.Model):
    """Days a house is closed (a holiday, a move): no hours and no career appointments there."""

    house = models.ForeignKey(
        UnionHouse,
        on_delete=models.CASCADE,
        related_name="closures",
        verbose_name=_("vakbondshuis"),
    )
    starts_on = models.DateField(_("gesloten vanaf"))
    ends_on = models.DateField(_("gesloten tot en met"))
    reason = models.CharField(_("reden"), max_length=120, help_text=_("Bijvoorbeeld: Kerstdagen."))

    objects = HouseClosureQuerySet.as_manager()

    class Meta:
        ordering = ["house", "starts_on"]
        verbose_name = _("sluitingsdag")
        verbose_name_plural = _("sluitingsdagen")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="regions_closure_ends_after_starts"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reason} ({self.starts_on:%d-%m-%Y} – {self.ends_on:%d-%m-%Y})"

    def clean(self) -> None:
        errors: dict[str, list] = {}
        for name in ["starts_on", "ends_on"]:
            value = getattr(self, name)
            if value is not None and value not in bounds.PORTAL:
                errors.setdefault(name, []).append(bounds.PORTAL.message())
        if errors:
            raise ValidationError(errors)
        if self.starts_on is not None and self.ends_on is not None:
            if self.ends_on < self.starts_on:
                raise ValidationError(
                    {"ends_on": _("De laatste dag mag niet vóór de eerste dag liggen.")}
                )
            if self.house_id and _overlapping(
                HouseClosure.objects.all(),
                self,
                house_id=self.house_id,
                starts_on__lte=self.ends_on,
                ends_on__gte=self.starts_on,
            ):
                raise ValidationError(
                    _("Deze sluiting overlapt met een andere sluiting van dit vakbondshuis.")
                )
