from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WindownConfig(AppConfig):
    name = "windown"
    verbose_name = _("windown core")
