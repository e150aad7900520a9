from django.utils.translation import gettext_lazy as _

from core import registry


class SignalsConfig(registry.PortalAppConfig):
    name = "signals"
    verbose_name = _("Spreekuren en signalen")
    contributes = registry.Contributions(
        home_tiles="signals.home.tiles",
        region_panel="signals.panel.region_panel",
        region_trends="signals.trends.region_trends",
        demo_seed="signals.demo.seed",
        beat_schedule="signals.schedule.BEAT_SCHEDULE",
        retention="signals.retention.apply_retention",
        erasure="signals.retention.erase_member",
    )
