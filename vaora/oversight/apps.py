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
        # A sector redefined (its kinds, territory or groups) counts differently from today on:
        # today's sector figures are recomputed whole at the next run.
        from django.db.models.signals import m2m_changed, post_save

        from vaora.venues.models import Sector

        post_save.connect(_sector_changed, sender=Sector, dispatch_uid="sector-changed")
        m2m_changed.connect(_sector_changed, sender=Sector.groups.through,
                            dispatch_uid="sector-groups-changed")  # fmt: skip


def _sector_changed(**_kwargs) -> None:
    from django.utils import timezone

    from vaora.oversight.rollups import mark_changed

    mark_changed([timezone.localdate()])
