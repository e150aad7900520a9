from django.utils.translation import gettext_lazy as _

from core import registry


class PagesConfig(registry.PortalAppConfig):
    name = "pages"
    verbose_name = _("Informatiepagina's")
    contributes = registry.Contributions(home_tiles="pages.home.tiles")
