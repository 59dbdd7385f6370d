import gc
import os
import warnings

from django.core.asgi import get_asgi_application

# WhiteNoise hands Django file iterators that are synchronous; under ASGI Django wraps them and
# warns on every static file. The files are small and cached by browsers: the warning is noise.
warnings.filterwarnings("ignore", message="StreamingHttpResponse must consume synchronous")

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vaora.settings")
django_application = get_asgi_application()

from vaora.ingest.app import IngestRouter  # noqa: E402 - needs Django set up first

# The check-in write path is answered beside Django (see vaora/ingest); the rest is Django.
application = IngestRouter(django_application)

# No background work here: the rollup, digest, purge, SMS delivery and large imports are jobs
# run by `vaora worker` (core/jobs.py), however many web processes serve.

# Everything loaded so far (Django, the apps, the URL conf) lives as long as the process: keep
# it out of the cyclic garbage collector's full passes, which otherwise walk it again and again
# and pause the check-in writer and the event loop together (seen as the p99 of bench-ingest).
gc.freeze()
