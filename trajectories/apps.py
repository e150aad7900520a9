from django.utils.translation import gettext_lazy as _

from core import registry


class TrajectoriesConfig(registry.PortalAppConfig):
    name = "trajectories"
    verbose_name = _("Trajecten en Van Werk Naar Werk")
    contributes = registry.Contributions(
        home_tiles="trajectories.home.tiles",
        region_panel="trajectories.panel.region_panel",
        region_trends="trajectories.trends.region_trends",
        demo_seed="trajectories.demo.seed",
        beat_schedule="trajectories.schedule.BEAT_SCHEDULE",
        retention="trajectories.retention.apply_retention",
        erasure="trajectories.retention.erase_member",
        receivers="trajectories.receivers.connect",
    )
