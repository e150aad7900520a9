from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LoopbaanConfig(AppConfig):
    name = "loopbaan"
    verbose_name = _("Loopbaan FNV")
