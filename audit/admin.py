from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from audit.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Searchable, read-only: the log is append-only."""

    list_display = [
        "at",
        "actor_display",
        "actor_role",
        "action",
        "object_type",
        "object_id",
        "ip_address",
    ]
    list_filter = ["action", "actor_role", "object_type"]
    search_fields = ["object_type", "object_id", "actor__email", "=subject_member_id"]
    date_hierarchy = "at"

    readonly_fields = ["actor_display"]
    exclude = ["actor"]
    list_select_related = ["actor"]

    @admin.display(description=_("door"), ordering="actor")
    def actor_display(self, entry: AuditEntry) -> str:
        return entry.actor_label or "—"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
