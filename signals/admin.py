from django.contrib import admin

from signals.models import DetectionRule, Theme


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ["name", "group", "is_active", "order"]
    list_filter = ["group", "is_active"]
    list_editable = ["is_active", "order"]


@admin.register(DetectionRule)
class DetectionRuleAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "kind",
        "is_active",
        "min_count",
        "window_days",
        "baseline_days",
        "p_value",
        "notify_step",
        "reminder_days",
    ]
    readonly_fields = ["kind"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
