from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VenuesConfig(AppConfig):
    name = "vaora.venues"
    label = "venues"
    verbose_name = _("Organisations and venues")

    def ready(self) -> None:
        from vaora.core import hooks
        from vaora.venues import services, signals  # noqa: F401 - signals connect receivers

        hooks.register("home.places", services.home_places)
