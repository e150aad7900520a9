"""The Django admin, behind the portal's own login (and so behind the second factor)."""

from functools import update_wrapper

from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.urls import reverse


class PortalAdminSite(admin.AdminSite):
    site_header = "FNV Regio beheer"
    site_title = "FNV Regio beheer"

    def admin_view(self, view, cacheable=False):
        inner = super().admin_view(view, cacheable)

        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path(), reverse("account_login"))
            if not self.has_permission(request):
                raise Http404  # the admin does not exist for users without admin access
            return inner(request, *args, **kwargs)

        return update_wrapper(wrapper, view)

    def login(self, request, extra_context=None):
        if request.user.is_authenticated:
            raise Http404
        return redirect_to_login(
            request.GET.get("next", reverse("admin:index")), reverse("account_login")
        )
