from django.apps import AppConfig


class VenuesConfig(AppConfig):
    name = "vaora.venues"
    label = "venues"
    verbose_name = "venues"
