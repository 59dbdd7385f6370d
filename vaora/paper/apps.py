from django.apps import AppConfig


class PaperConfig(AppConfig):
    name = "vaora.paper"
    verbose_name = "Paper registers"
