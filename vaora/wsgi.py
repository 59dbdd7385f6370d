import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vaora.settings")
application = get_wsgi_application()

if os.environ.get("VAORA_DAILY_PURGE", "1") != "0":
    from vaora.core.retention import start_daily_purge

    start_daily_purge()

from vaora.oversight.schedule import start as start_rollups  # noqa: E402

start_rollups()
