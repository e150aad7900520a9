from django.utils.translation import gettext_lazy as _

from core import registry


class LabourMarketConfig(registry.PortalAppConfig):
    name = "labourmarket"
    verbose_name = _("Arbeidsmarktcijfers")
    contributes = registry.Contributions(
        home_tiles="labourmarket.home.tiles",
        region_panel="labourmarket.panel.region_panel",
        demo_seed="labourmarket.demo.seed",
    )
