"""The public list of exposure sites: where and when, never who."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from vaora.tracing import alerts


@require_GET
def exposure_sites(request):
    page = Paginator(alerts.current_sites(), 30).get_page(request.GET.get("page"))
    return render(request, "tracing/exposure_sites.html", {"page": page})
