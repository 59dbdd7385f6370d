"""Pages for the clerk: print a blank register, download the template, upload a filled one,
watch its progress, and download the refused rows to fix."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from vaora.core import exports
from vaora.core.errors import VaoraError
from vaora.core.forms import add_refusal
from vaora.paper import register, services
from vaora.paper.models import Status
from vaora.venues.services import staff_venue


class UploadForm(forms.Form):
    file = forms.FileField(label=_("Filled register (.csv or .xlsx)"))


@login_required
def uploads(request, venue_id: int):
    venue = staff_venue(request.user, venue_id)
    form = UploadForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            upload = services.start(request.user, venue, form.cleaned_data["file"])
            return redirect("paper:upload", venue_id=venue.pk, upload_id=upload.pk)
        except VaoraError as error:
            add_refusal(form, error, "file")
            status = error.status
    page = Paginator(services.uploads_for(request.user, venue), 20).get_page(
        request.GET.get("page")
    )
    context = {"venue": venue, "form": form, "page": page}
    return render(request, "paper/uploads.html", context, status=status)


@login_required
@require_GET
def upload(request, venue_id: int, upload_id: int):
    venue = staff_venue(request.user, venue_id)
    item = services.get_upload(request.user, venue, upload_id)
    running = item.status in (Status.QUEUED, Status.RUNNING)
    return render(request, "paper/upload.html", {"venue": venue, "upload": item,
                                                 "running": running})  # fmt: skip


@login_required
@require_POST
def cancel(request, venue_id: int, upload_id: int):
    venue = staff_venue(request.user, venue_id)
    services.cancel(request.user, venue, upload_id)
    return redirect("paper:upload", venue_id=venue.pk, upload_id=upload_id)


@login_required
@require_GET
def rejected_rows(request, venue_id: int, upload_id: int):
    item = services.get_upload(request.user, staff_venue(request.user, venue_id), upload_id)
    return exports.attachment(services.rejected_rows(item), "csv", f"rejected-{item.pk}")


@login_required
@require_GET
def blank_register(request, venue_id: int):
    venue = staff_venue(request.user, venue_id)
    try:
        pages = int(request.GET.get("pages", "1"))
    except ValueError:
        pages = 1
    response = HttpResponse(
        register.blank_register_pdf(venue, pages), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'inline; filename="so-dang-ky-{venue.short_code}.pdf"'
    return response


@login_required
@require_GET
def template(request, venue_id: int, fmt: str):
    return register.template(fmt, staff_venue(request.user, venue_id))
