from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "vaora.people"
    label = "people"
    verbose_name = "people"

    def ready(self) -> None:
        from vaora.core import hooks
        from vaora.people import retention, signals  # noqa: F401 - signals connect receivers

        hooks.register("retention.purge", retention.purge)
        hooks.register("retention.after", retention.purge_forgotten_persons)
