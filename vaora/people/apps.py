from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "vaora.people"
    label = "people"
    verbose_name = "people"
