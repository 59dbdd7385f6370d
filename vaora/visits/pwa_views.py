"""What makes the check-in a Progressive Web App: the service worker (served from the root so
it may control /v/ pages), the manifest, and the offline check-in page it caches."""

import json
from pathlib import Path

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

SERVICE_WORKER = Path(__file__).parent / "static" / "visits" / "sw.js"


@require_GET
@cache_control(no_cache=True)
def service_worker(request):
    response = HttpResponse(SERVICE_WORKER.read_bytes(), content_type="application/javascript")
    response["Service-Worker-Allowed"] = "/"
    return response


@require_GET
def manifest(request):
    body = {
        "name": "vaora", "short_name": "vaora", "lang": "vi", "start_url": "/me/",
        "display": "standalone", "background_color": "#f6f8f7", "theme_color": "#0b6b3a",
        "description": _("Entry and exit by QR code"),
        "icons": [{"src": "/static/core/icon.svg", "sizes": "any", "type": "image/svg+xml"}],
    }  # fmt: skip
    return HttpResponse(
        json.dumps(body, ensure_ascii=False), content_type="application/manifest+json"
    )


@require_GET
def camera_scan(request):
    """The in-page poster scanner (for cameras that do not open links by themselves)."""
    return render(request, "visits/camera_scan.html")


@require_GET
def offline_checkin(request):
    return render(request, "visits/offline_checkin.html")
