from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NoticesConfig(AppConfig):
    name = "notices"
    verbose_name = _("Notices")

    def ready(self):
        from anymail.signals import tracking

        from notices.webhooks import on_tracking

        tracking.connect(on_tracking, dispatch_uid="notices.tracking")
