"""The Django admin shows where the pages appear; their text is written in the portal (with a
preview and versions, /informatie/beheer/), so it is read-only here."""

from django.contrib import admin

from pages.models import Page


@admin.register(Page)
class PageAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "on_home", "shows_agenda", "position", "updated_at"]
    fields = ["title", "slug", "summary", "on_home", "shows_agenda", "position"]
    readonly_fields = ["title", "slug", "summary"]

    def has_add_permission(self, request):
        return False  # new pages start in the portal, with their first version

    def has_delete_permission(self, request, obj=None):
        return False  # a page others link to stays; its text can be changed
