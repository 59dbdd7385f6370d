import os

from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _


def keep_sqlite_files_private(sender, connection, **kwargs) -> None:
    """The SQLite database holds personal data (encrypted fields, but also times and places):
    readable by the server's user only, like the data key. SQLite creates its -wal and -shm
    files with the main file's permissions."""
    if connection.vendor != "sqlite":
        return
    name = str(connection.settings_dict.get("NAME") or "")
    if not name or name == ":memory:" or name.startswith("file:"):
        return
    for path in (name, f"{name}-wal", f"{name}-shm"):
        try:
            if os.stat(path).st_mode & 0o077:
                os.chmod(path, 0o600)
        except FileNotFoundError:
            continue


class CoreConfig(AppConfig):
    name = "vaora.core"
    label = "core"
    verbose_name = _("vaora: shared")

    def ready(self) -> None:
        from django.urls import register_converter

        from vaora.core.converters import ObjectIdConverter

        register_converter(ObjectIdConverter, "id")
        from vaora.core import log_redaction

        log_redaction.install()
        from vaora.core import hooks, sms, tasks

        hooks.register("jobs.periodic", tasks.periodic)
        hooks.register("crypto.reindex", lambda: {"core.SmsMessage": sms.reindex})
        connection_created.connect(keep_sqlite_files_private,
                                   dispatch_uid="vaora-private-sqlite-files")  # fmt: skip
