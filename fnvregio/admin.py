"""The Django admin, behind the portal's own login (and so behind the second factor)."""

from functools import update_wrapper

from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import BadRequest
from django.http import Http404
from django.urls import reverse
from django.utils.functional import SimpleLazyObject

from core import bounds


def _unusable_query(query) -> bool:
    """Query values Django's change list passes on as they come, into a query that fails: a NUL
    byte (PostgreSQL text cannot hold one), or a date drill-down far from any record (for
    9999-12-31 Django computes the day after, which a date cannot hold)."""
    for key, values in query.lists():
        for value in values:
            if "\x00" in key or "\x00" in value:
                return True
            if key.endswith(("__year", "__month", "__day")) and value:
                if not (value.isascii() and value.isdigit() and len(value) <= 4):
                    return True
                if key.endswith("__year") and not 1900 <= int(value) <= 2100:
                    return True
    return False


class PortalAdminSite(admin.AdminSite):
    site_header = "FNV Regio beheer"
    site_title = "FNV Regio beheer"
    # The sidebar lists every model on every admin page: building it (two URLs a model) cost
    # more than the member list's own query. The index page lists them; breadcrumbs lead back.
    enable_nav_sidebar = False

    def each_context(self, request):
        """Django's context, with the list of every app and model built only when a template
        reads it: without the sidebar, the other admin pages built it for nothing (a third of
        the member list's own time besides the rows, bench/pages.py)."""
        context = super().each_context(request) if self.enable_nav_sidebar else None
        if context is not None:
            return context
        script_name = request.META["SCRIPT_NAME"]
        return {
            "site_title": self.site_title,
            "site_header": self.site_header,
            "site_url": script_name if self.site_url == "/" and script_name else self.site_url,
            "has_permission": self.has_permission(request),
            "available_apps": SimpleLazyObject(lambda: self.get_app_list(request)),
            "is_popup": False,
            "is_nav_sidebar_enabled": self.enable_nav_sidebar,
            "log_entries": self.get_log_entries(request),
        }

    def admin_view(self, view, cacheable=False):
        inner = super().admin_view(view, cacheable)

        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path(), reverse("account_login"))
            if not self.has_permission(request):
                raise Http404  # the admin does not exist for users without admin access
            if _unusable_query(request.GET):
                raise BadRequest
            return inner(request, *args, **kwargs)

        return update_wrapper(wrapper, view)

    def register(self, model_or_iterable, admin_class=None, **options):
        super().register(model_or_iterable, admin_class, **options)
        for model_admin in self._registry.values():
            bounds.admin_date_overrides(model_admin)
            for inline in model_admin.inlines:
                bounds.admin_date_overrides(inline)

    def login(self, request, extra_context=None):
        if request.user.is_authenticated:
            raise Http404
        return redirect_to_login(
            request.GET.get("next", reverse("admin:index")), reverse("account_login")
        )
