import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vaora.settings")
application = get_wsgi_application()

# No background work here: the rollup, digest, purge, SMS delivery and large imports are jobs
# run by `vaora worker` (core/jobs.py), however many web processes serve.
