from django.apps import AppConfig


class TracingConfig(AppConfig):
    name = "vaora.tracing"
    verbose_name = "Contact tracing"

    def ready(self) -> None:
        from vaora.core import hooks
        from vaora.tracing import alerts, retention

        hooks.register("retention.purge", retention.purge)
        hooks.register("person.findings", retention.findings_of)
        hooks.register("person.exposures", alerts.self_check)
