from django.utils.translation import gettext_lazy as _

from core import registry


class DashboardConfig(registry.PortalAppConfig):
    name = "dashboard"
    verbose_name = _("Regiodashboards")
    contributes = registry.Contributions(
        home_tiles="dashboard.home.tiles", beat_schedule="dashboard.schedule.BEAT_SCHEDULE"
    )
