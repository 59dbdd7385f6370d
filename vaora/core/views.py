"""Public landing page, signed-in home, venue detail, health check."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from vaora.core import health
from vaora.venues.models import Venue


@require_GET
def landing(request):
    return render(request, "core/landing.html")


@login_required
def home(request):
    venues = Venue.objects.visible_to(request.user).select_related("commune")
    page = Paginator(venues, 25).get_page(request.GET.get("page"))
    return render(request, "core/home.html", {"page": page})


@login_required
def venue_detail(request, venue_id: int):
    venue = Venue.objects.visible_to(request.user).select_related("commune", "organisation")
    found = venue.filter(pk=venue_id).first()
    if found is None:
        raise Http404
    return render(request, "core/venue_detail.html", {"venue": found})


@never_cache
@require_GET
def healthz(request):
    report = health.check()
    return JsonResponse(report, status=200 if report["ok"] else 503)
