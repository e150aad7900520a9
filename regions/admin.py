from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _

from core.admin_autocomplete import AutocompleteAdmin
from regions.models import (
    ConsultationHours,
    HouseClosure,
    Municipality,
    OpeningHours,
    PostcodeArea,
    Region,
    UnionHouse,
)


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "region"]
    list_filter = ["region"]
    search_fields = ["code", "name"]


@admin.register(PostcodeArea)
class PostcodeAreaAdmin(AutocompleteAdmin):
    """Derived data: admins correct a postcode's municipality here."""

    list_display = ["pc4", "municipality", "place_names", "spans_municipalities"]
    list_filter = ["spans_municipalities"]
    search_fields = ["pc4", "place_names", "municipality__name"]
    autocomplete_fields = ["municipality"]


class NoOverlapFormSet(BaseInlineFormSet):
    """Rows typed together must not overlap each other either (each row's own check compares
    it with the rows already saved). `group` names the fields that must match to collide;
    `span` the two fields of the period."""

    group: tuple[str, ...] = ()
    span: tuple[str, str] = ("", "")
    message = _("Twee regels overlappen; pas de tijden of dagen aan.")

    def clean(self) -> None:
        super().clean()
        seen: list[tuple[tuple, object, object]] = []
        low, high = self.span
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE") or data.get(low) is None or data.get(high) is None:
                continue
            key = tuple(data.get(name) for name in self.group)
            start, end = data[low], data[high]
            for other_key, other_start, other_end in seen:
                if other_key == key and self._overlaps(start, end, other_start, other_end):
                    raise ValidationError(self.message)
            seen.append((key, start, end))

    def _overlaps(self, start, end, other_start, other_end) -> bool:
        return start < other_end and other_start < end


class OpeningHoursFormSet(NoOverlapFormSet):
    group = ("weekday",)
    span = ("opens", "closes")


class ConsultationHoursFormSet(NoOverlapFormSet):
    group = ("kind", "weekday")
    span = ("starts", "ends")


class ClosureFormSet(NoOverlapFormSet):
    span = ("starts_on", "ends_on")
    message = _("Twee sluitingen overlappen; maak er één van.")

    def _overlaps(self, start, end, other_start, other_end) -> bool:
        return start <= other_end and other_start <= end  # whole days, both inclusive


class OpeningHoursInline(admin.TabularInline):
    model = OpeningHours
    formset = OpeningHoursFormSet
    extra = 0
    fields = ["weekday", "opens", "closes"]


class ConsultationHoursInline(admin.TabularInline):
    model = ConsultationHours
    formset = ConsultationHoursFormSet
    extra = 0
    fields = ["kind", "weekday", "starts", "ends", "note"]


class HouseClosureInline(admin.TabularInline):
    model = HouseClosure
    formset = ClosureFormSet
    extra = 0
    fields = ["starts_on", "ends_on", "reason"]


@admin.register(UnionHouse)
class UnionHouseAdmin(AutocompleteAdmin):
    list_display = [
        "name",
        "city",
        "region",
        "hosts_career_hours",
        "is_public",
        "is_active",
        "is_demo",
    ]
    list_filter = ["region", "hosts_career_hours", "is_public", "is_active", "is_demo"]
    search_fields = ["name", "city", "postcode"]
    autocomplete_fields = ["municipality"]
    readonly_fields = ["region"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "is_public", "is_active", "hosts_career_hours"]}),
        (
            _("Adres en contact"),
            {
                "fields": [
                    "street",
                    "house_number",
                    "postcode",
                    "city",
                    "municipality",
                    "region",
                    "phone",
                    "email",
                ]
            },
        ),
        (_("Bereikbaarheid"), {"fields": ["directions", "accessibility"]}),
        (_("Demo"), {"fields": ["is_demo"], "classes": ["collapse"]}),
    ]
    inlines = [OpeningHoursInline, ConsultationHoursInline, HouseClosureInline]
