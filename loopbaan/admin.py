"""Admin for the consultants' availability. Appointments and reports are not in the admin:
they hold members' data and are reached through the audited pages."""

from django.contrib import admin

from core.admin_autocomplete import AutocompleteAdmin
from loopbaan.models import Availability, BlockedDay, ConsultantProfile


@admin.register(Availability)
class AvailabilityAdmin(AutocompleteAdmin):
    list_display = [
        "consultant",
        "union_house",
        "kind",
        "weekday",
        "date",
        "start_time",
        "end_time",
    ]
    list_filter = ["kind", "union_house"]
    search_fields = ["consultant__email", "consultant__full_name"]
    autocomplete_fields = ["consultant"]


@admin.register(BlockedDay)
class BlockedDayAdmin(AutocompleteAdmin):
    list_display = ["consultant", "date", "reason"]
    search_fields = ["consultant__email", "consultant__full_name"]
    autocomplete_fields = ["consultant"]


@admin.register(ConsultantProfile)
class ConsultantProfileAdmin(AutocompleteAdmin):
    list_display = ["consultant", "weekly_max"]
    search_fields = ["consultant__email", "consultant__full_name"]
    autocomplete_fields = ["consultant"]
