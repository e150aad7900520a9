from django.utils.translation import gettext_lazy as _

from core import registry


class LoopbaanConfig(registry.PortalAppConfig):
    name = "loopbaan"
    verbose_name = _("Loopbaan FNV")
    contributes = registry.Contributions(
        home_tiles="loopbaan.home.tiles",
        region_panel="loopbaan.panel.region_panel",
        region_trends="loopbaan.trends.region_trends",
        demo_seed="loopbaan.demo.seed",
        beat_schedule="loopbaan.schedule.BEAT_SCHEDULE",
        retention="loopbaan.retention.apply_retention",
        erasure="loopbaan.retention.erase_member",
        house_facts="loopbaan.public.house_facts",
    )
