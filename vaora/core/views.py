"""Public landing page, signed-in home, venue detail, health check."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from vaora.core import health, hooks


@require_GET
def favicon(request):
    """Browsers and bookmarks still ask for /favicon.ico: send them to the one icon we have."""
    from django.http import HttpResponsePermanentRedirect
    from django.templatetags.static import static

    response = HttpResponsePermanentRedirect(static("core/icon.svg"))
    response["Cache-Control"] = "public, max-age=604800"
    return response


@require_GET
def landing(request):
    return render(request, "core/landing.html")


@login_required
def home(request):
    if request.user.role == "citizen":
        return redirect("people:me")
    venues = hooks.answer("home.places", request.user)  # the venues app: what this user sees
    page = Paginator(venues, 25).get_page(request.GET.get("page"))
    return render(request, "core/home.html", {"page": page})


@never_cache
@require_GET
def healthz(request):
    report = health.check()
    return JsonResponse(report, status=200 if report["ok"] else 503)
