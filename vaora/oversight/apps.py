from django.apps import AppConfig


class OversightConfig(AppConfig):
    name = "vaora.oversight"
    label = "oversight"
    verbose_name = "Oversight"
