from django.contrib.admin.apps import AdminConfig


class PortalAdminConfig(AdminConfig):
    """The Django admin with the portal's site (login through allauth and its second factor)."""

    default_site = "fnvregio.admin.PortalAdminSite"

    def ready(self) -> None:
        super().ready()
        from django.db.backends.signals import connection_created

        from fnvregio import pagecache

        connection_created.connect(pagecache.install, dispatch_uid="fnvregio.pagecache")
