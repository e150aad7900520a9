from django.utils.translation import gettext_lazy as _

from core import registry


class MeetingsConfig(registry.PortalAppConfig):
    name = "meetings"
    verbose_name = _("Informatiebijeenkomsten")
    contributes = registry.Contributions(
        home_tiles="meetings.home.tiles",
        region_panel="meetings.figures.region_panel",
        demo_seed="meetings.demo.seed",
        beat_schedule="meetings.schedule.BEAT_SCHEDULE",
        retention="meetings.retention.apply_retention",
        erasure="meetings.retention.erase_member",
        house_facts="meetings.public.house_facts",
        public_agenda="meetings.public.public_agenda",
    )
