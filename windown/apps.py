from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WindownConfig(AppConfig):
    name = "windown"
    verbose_name = _("windown core")

    def ready(self):
        # the deploy check for collected static files; lockout events into the audit trail
        from windown.security import signals, startup  # noqa: F401
