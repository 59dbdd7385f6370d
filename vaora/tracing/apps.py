from django.apps import AppConfig


class TracingConfig(AppConfig):
    name = "vaora.tracing"
    verbose_name = "Contact tracing"
