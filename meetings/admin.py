"""Admin for meetings (planning happens in the portal: /bijeenkomsten/planning/). The
registrations, which hold guests' names and e-mail, are deliberately not in the admin: the
planners' pages scope and audit every view of them."""

from django.contrib import admin

from meetings.models import Meeting


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["title", "theme", "region", "union_house", "starts_at", "capacity"]
    list_filter = ["theme", "region", "is_published"]
    search_fields = ["title"]
    raw_id_fields = ["employer", "organiser"]
