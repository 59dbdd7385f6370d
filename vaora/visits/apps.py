from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VisitsConfig(AppConfig):
    name = "vaora.visits"
    label = "visits"
    verbose_name = _("Entries and exits")

    def ready(self) -> None:
        from vaora.core import hooks
        from vaora.visits import integrity, retention, tasks

        integrity.connect()

        hooks.register("retention.purge", retention.purge)
        hooks.register("jobs.periodic", tasks.periodic)
        hooks.register("person.visits", retention.visits_of)
