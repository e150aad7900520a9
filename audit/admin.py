from django.contrib import admin

from audit.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Searchable, read-only: the log is append-only."""

    list_display = ["at", "actor", "actor_role", "action", "object_type", "object_id", "ip_address"]
    list_filter = ["action", "actor_role", "object_type"]
    search_fields = ["object_type", "object_id", "actor__email", "=subject_member_id"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
