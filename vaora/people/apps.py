from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "vaora.people"
    label = "people"
    verbose_name = _("People and accounts")

    def ready(self) -> None:
        from vaora.core import hooks

        # signals and sessions connect receivers: a sign-in outside a request (a command, a
        # script) must start the session clock too.
        from vaora.people import retention, sessions, signals  # noqa: F401

        hooks.register("retention.purge", retention.purge)
        hooks.register("retention.after", retention.purge_forgotten_persons)
        hooks.register("crypto.reindex", lambda: {"people.Person": lambda p: p.set_indexes()})
