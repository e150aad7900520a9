from django.utils.translation import gettext_lazy as _

from core import registry


class AuditConfig(registry.PortalAppConfig):
    name = "audit"
    verbose_name = _("Auditlog")
    contributes = registry.Contributions(
        retention="audit.retention.apply_retention",
    )
