from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaperConfig(AppConfig):
    name = "vaora.paper"
    verbose_name = _("Paper registers")

    def ready(self) -> None:
        from vaora.core import hooks
        from vaora.paper import services

        hooks.register("retention.purge", services.purge)
