from django.apps import AppConfig


class PaperConfig(AppConfig):
    name = "vaora.paper"
    verbose_name = "Paper registers"

    def ready(self) -> None:
        from vaora.core import hooks
        from vaora.paper import services

        hooks.register("retention.purge", services.purge)
