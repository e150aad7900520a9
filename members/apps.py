from django.utils.translation import gettext_lazy as _

from core import registry


class MembersConfig(registry.PortalAppConfig):
    name = "members"
    verbose_name = _("Leden en accounts")
    contributes = registry.Contributions(
        home_tiles="members.home.tiles",
        region_panel="members.panel.region_panel",
        region_trends="members.trends.region_trends",
        beat_schedule="members.schedule.BEAT_SCHEDULE",
        retention="members.retention.apply_retention",
        receivers="members.receivers.connect",
    )
