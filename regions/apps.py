from django.utils.translation import gettext_lazy as _

from core import registry


class RegionsConfig(registry.PortalAppConfig):
    name = "regions"
    verbose_name = _("Regio's")
    contributes = registry.Contributions(demo_seed="regions.demo.seed")
