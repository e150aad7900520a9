from django.contrib import admin

from plans.models import PlanReminder, PlanVersion, RegionPlan, SectionComment


class PlanVersionInline(admin.TabularInline):
    model = PlanVersion
    fields = ["number", "submitted_by", "submitted_at", "panel_taken_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(RegionPlan)
class RegionPlanAdmin(admin.ModelAdmin):
    list_display = ["region", "year", "status", "deadline", "status_changed_at", "is_demo"]
    list_filter = ["year", "status", "is_demo"]
    search_fields = ["region__name", "region__code"]
    # Status and text change only through the workflow (plans.services), never by hand here.
    readonly_fields = ["status", "status_changed_at", "sections", "authors", "reviewer", "previous"]
    inlines = [PlanVersionInline]


@admin.register(SectionComment)
class SectionCommentAdmin(admin.ModelAdmin):
    list_display = ["plan", "section", "status", "created_at"]
    list_filter = ["status", "section"]


@admin.register(PlanReminder)
class PlanReminderAdmin(admin.ModelAdmin):
    list_display = ["plan", "kind", "key", "due_at", "sent_at", "recipient_count"]
    list_filter = ["kind"]
    readonly_fields = ["plan", "kind", "key", "due_at", "sent_at", "recipient_count"]

    def has_add_permission(self, request) -> bool:
        return False  # reminders are scheduled by the plan's deadline, never typed in
