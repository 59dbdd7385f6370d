from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "vaora.core"
    label = "core"
    verbose_name = "vaora core"
