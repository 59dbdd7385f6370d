from django.apps import AppConfig


class VenuesConfig(AppConfig):
    name = "vaora.venues"
    label = "venues"
    verbose_name = "venues"

    def ready(self) -> None:
        from vaora.venues import signals  # noqa: F401 - connects the receivers
