from django.apps import AppConfig


class VenuesConfig(AppConfig):
    name = "vaora.venues"
    label = "venues"
    verbose_name = "venues"

    def ready(self) -> None:
        from vaora.core import hooks
        from vaora.venues import services, signals  # noqa: F401 - signals connect receivers

        hooks.register("home.places", services.home_places)
