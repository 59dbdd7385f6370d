from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OversightConfig(AppConfig):
    name = "vaora.oversight"
    label = "oversight"
    verbose_name = _("Oversight")

    def ready(self) -> None:
        from vaora.core import hooks
        from vaora.oversight import rollups, tasks

        hooks.register("jobs.periodic", tasks.periodic)
        hooks.register("visits.changed", rollups.mark_changed)
