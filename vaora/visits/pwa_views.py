"""What makes the check-in a Progressive Web App: the service worker (served from the root so
it may control /v/ pages), the manifest, and the offline check-in page it caches."""

import hashlib
import json
import re
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

SERVICE_WORKER = Path(__file__).parent / "static" / "visits" / "sw.js"


STATIC_PATH = re.compile(r'"/static/([^"]+)"')


@lru_cache(maxsize=1)
def _service_worker_source(static_root: str) -> bytes:
    """sw.js with the shell's static files under their collected (hashed) names, and a cache
    name that changes with them: a release's new files replace the old shell on the phone."""
    source = SERVICE_WORKER.read_text()
    source = STATIC_PATH.sub(lambda m: '"' + static(m.group(1)) + '"', source)
    version = hashlib.sha256(source.encode()).hexdigest()[:10]
    return source.replace('"vaora-shell-v2"', f'"vaora-shell-{version}"').encode()


@require_GET
@cache_control(no_cache=True)
def service_worker(request):
    body = _service_worker_source(str(settings.STATIC_ROOT))
    response = HttpResponse(body, content_type="application/javascript")
    response["Service-Worker-Allowed"] = "/"
    return response


@require_GET
def manifest(request):
    body = {
        "name": "vaora", "short_name": "vaora", "lang": "vi", "start_url": "/me/",
        "display": "standalone", "background_color": "#f6f8f7", "theme_color": "#0b6b3a",
        "description": _("Entry and exit by QR code"),
        "icons": [{"src": static("core/icon.svg"), "sizes": "any", "type": "image/svg+xml"}],
    }  # fmt: skip
    return HttpResponse(
        json.dumps(body, ensure_ascii=False), content_type="application/manifest+json"
    )


@require_GET
def self_check(request):
    """Anyone, signed in or not: the phone compares the visits it remembers with the published
    exposure sites, on the phone (visits/selfcheck.js)."""
    text = {
        "empty": _("This phone remembers no visit yet. Visits are remembered when you check in "
                   "with vaora, or press “Only remember this visit on my phone” at a poster."),
        "checking": _("Comparing on this phone…"),
        "none": _("None of the %(n)s visits this phone remembers was at an exposure site."),
        "found": _("This phone remembers a visit at an exposure site:"),
        "advice": _("Watch your health for 14 days and call the health station if you have "
                    "symptoms."),
        "offline": _("The list of exposure sites could not be loaded. Try again when online."),
    }  # fmt: skip
    return render(request, "visits/self_check.html", {"text": text})


@require_GET
def camera_scan(request):
    """The in-page poster scanner (for cameras that do not open links by themselves)."""
    return render(request, "visits/camera_scan.html")


@require_GET
def offline_checkin(request):
    return render(request, "visits/offline_checkin.html")
