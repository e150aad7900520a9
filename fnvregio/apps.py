from django.contrib.admin.apps import AdminConfig


class PortalAdminConfig(AdminConfig):
    """The Django admin with the portal's site (login through allauth and its second factor)."""

    default_site = "fnvregio.admin.PortalAdminSite"
