import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vaora.settings")
application = get_asgi_application()

if os.environ.get("VAORA_DAILY_PURGE", "1") != "0":
    from vaora.core.retention import start_daily_purge

    start_daily_purge()
