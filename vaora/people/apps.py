from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "vaora.people"
    label = "people"
    verbose_name = "people"

    def ready(self) -> None:
        from vaora.people import signals  # noqa: F401 - connects the receivers
