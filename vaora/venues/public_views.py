"""What anyone reaches without signing in: typing a venue code, and the published public keys.
Nothing here lists venues or shows guest data. (The page a poster opens is visits.views.scan.)"""

from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from vaora.core import signing
from vaora.core.errors import VaoraError
from vaora.venues import tokens


@require_GET
def enter_code(request):
    """Typing the code printed under a poster works like scanning it."""
    raw = request.GET.get("code", "").strip()
    if not raw:
        return render(request, "venues/enter_code.html")
    try:
        scanned = tokens.find_by_short_code(raw)
    except VaoraError as error:
        context = {"error": error, "code": raw}
        return render(request, "venues/enter_code.html", context, status=error.status)
    target = scanned.zone or scanned.venue
    return redirect("visits:scan", token=tokens.token_for(target))


@require_GET
@cache_control(public=True, max_age=300)
def published_keys(request):
    return JsonResponse(
        {
            "issuer": "vaora",
            "description": _("Ed25519 public keys that verify vaora QR codes."),
            "token_format": {
                "encoding": "base32 (RFC 4648), upper case, no padding",
                "layout": "header(1: format<<4|kind) kid(2, big-endian) body signature(64)",
                "signed_message": "'vaora-qr/1' + header + kid + body",
                "kinds": {"1": "venue", "2": "zone", "3": "person", "4": "travel declaration"},
                "venue_body": "short code (5 bytes, base-31 of the 8-character code) + version (2)",
            },
            "keys": signing.published_keys(),
        },
        json_dumps_params={"ensure_ascii": False},
    )
