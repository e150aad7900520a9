from django.utils.translation import gettext_lazy as _

from core import registry


class ReferralsConfig(registry.PortalAppConfig):
    name = "referrals"
    verbose_name = _("Doorverwijzingen")
    contributes = registry.Contributions(
        home_tiles="referrals.home.tiles",
        region_panel="referrals.panel.region_panel",
        demo_seed="referrals.demo.seed",
        beat_schedule="referrals.schedule.BEAT_SCHEDULE",
        retention="referrals.retention.apply_retention",
        erasure="referrals.retention.erase_member",
    )
