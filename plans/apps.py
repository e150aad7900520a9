from django.utils.translation import gettext_lazy as _

from core import registry


class PlansConfig(registry.PortalAppConfig):
    name = "plans"
    verbose_name = _("Regioplannen")
    contributes = registry.Contributions(
        home_tiles="plans.home.tiles",
        region_trends="plans.trends.region_trends",
        demo_seed="plans.demo.seed",
        beat_schedule="plans.schedule.BEAT_SCHEDULE",
    )
