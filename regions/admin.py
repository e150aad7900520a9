from django.contrib import admin

from core.admin_autocomplete import AutocompleteAdmin
from regions.models import Municipality, PostcodeArea, Region, UnionHouse


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


@admin.register(UnionHouse)
class UnionHouseAdmin(AutocompleteAdmin):
    list_display = ["name", "city", "region", "hosts_career_hours", "is_active", "is_demo"]
    list_filter = ["region", "hosts_career_hours", "is_active", "is_demo"]
    search_fields = ["name", "city"]
    autocomplete_fields = ["municipality"]
    readonly_fields = ["region"]
