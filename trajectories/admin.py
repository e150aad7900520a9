"""Admin for the workshop catalogue and its sessions (no personal data here).

Trajectories, participants and notes are deliberately not in the admin: they are reached only
through the adviser's pages, which scope and audit every view.
"""

from django.contrib import admin

from core.admin_autocomplete import AutocompleteAdmin
from trajectories.models import CollectiveCase, Workshop, WorkshopSession


class WorkshopSessionInline(admin.TabularInline):
    model = WorkshopSession
    extra = 1
    fields = ["starts_at", "ends_at", "union_house", "place", "capacity"]


@admin.register(Workshop)
class WorkshopAdmin(admin.ModelAdmin):
    list_display = ["title", "mode", "is_active"]
    list_filter = ["mode", "is_active"]
    search_fields = ["title"]
    inlines = [WorkshopSessionInline]


@admin.register(WorkshopSession)
class WorkshopSessionAdmin(admin.ModelAdmin):
    list_display = ["workshop", "starts_at", "union_house", "place", "capacity"]
    list_filter = ["workshop", "union_house"]
    date_hierarchy = "starts_at"


@admin.register(CollectiveCase)
class CollectiveCaseAdmin(AutocompleteAdmin):
    list_display = ["name", "kind", "employer", "region", "announced_on"]
    list_filter = ["kind", "region"]
    search_fields = ["name", "employer__name"]
    autocomplete_fields = ["employer"]
    exclude = ["created_by"]
