"""Django's collectstatic, leaving a marker in STATIC_ROOT: from then on the collected,
pre-compressed (gzip, brotli) files are served instead of the apps' folders (settings:
WHITENOISE_USE_FINDERS). Run it on every deployment, as Django asks."""

from django.conf import settings
from django.contrib.staticfiles.management.commands import collectstatic


class Command(collectstatic.Command):
    def handle(self, **options):
        result = super().handle(**options)
        if not options.get("dry_run"):
            marker = settings.STATIC_ROOT / settings.COLLECTED_MARKER
            marker.write_text("collected by vaora collectstatic\n", encoding="utf-8")
        return result
