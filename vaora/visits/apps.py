from django.apps import AppConfig


class VisitsConfig(AppConfig):
    name = "vaora.visits"
    label = "visits"
    verbose_name = "visits"
