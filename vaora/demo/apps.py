from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo data for a whole province: the top layer, above every app it fills."""

    name = "vaora.demo"
    label = "demo"
    verbose_name = "demo data"
