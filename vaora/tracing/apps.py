from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TracingConfig(AppConfig):
    name = "vaora.tracing"
    verbose_name = _("Contact tracing")

    def ready(self) -> None:
        from vaora.core import hooks
        from vaora.tracing import alerts, retention

        hooks.register("retention.purge", retention.purge)
        hooks.register("person.findings", retention.findings_of)
        hooks.register("person.exposures", alerts.self_check)
