from django.utils.translation import gettext_lazy as _

from core import registry


class CaseworkConfig(registry.PortalAppConfig):
    """From a signal to a collective case: above the feature apps, it uses signals and
    trajectories; they never import it."""

    name = "casework"
    verbose_name = _("Collectieve zaken uit signalen")
    contributes = registry.Contributions(
        home_tiles="casework.contributions.home_tiles",
        signal_actions="casework.contributions.signal_actions",
        erasure="casework.contributions.erase_member",
    )
