"""Pages for organisation managers (change), venue staff and officials (read, scoped)."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from vaora.core import exports as tables
from vaora.core.errors import VaoraError
from vaora.core.forms import add_refusal
from vaora.venues import exports, importer, posters, services
from vaora.venues.forms import (
    MAX_IMPORT_BYTES,
    ImportForm,
    PosterForm,
    RevokeForm,
    VenueForm,
    ZoneForm,
)
from vaora.venues.models import Organisation, Venue
from vaora.venues.services import is_gate_staff


def _page(request, queryset, per_page=25):
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


@login_required
def organisation_list(request):
    organisations = Organisation.objects.visible_to(request.user).select_related("commune")
    return render(request, "venues/organisation_list.html", {"page": _page(request, organisations)})


@login_required
def organisation_detail(request, org_id: int):
    organisation = services.get_organisation(request.user, org_id)
    venues = organisation.venues.select_related("commune").order_by("name_order", "id")
    context = {
        "organisation": organisation,
        "page": _page(request, venues),
        "can_manage": services.can_manage(request.user, organisation),
    }
    return render(request, "venues/organisation_detail.html", context)


def _edit(request, form, save, context: dict):
    """The shared form flow: validate, call the service, show its refusals in the form."""
    if request.method == "POST" and form.is_valid():
        try:
            saved = save(form.cleaned_data)
        except VaoraError as error:
            add_refusal(form, error)
        else:
            return redirect("venues:venue_detail", venue_id=saved.venue_id_for_page)
    return render(request, "venues/edit_form.html", {"form": form, **context})


def _back_to_organisation(organisation) -> dict:
    url = reverse("venues:organisation_detail", args=[organisation.pk])
    return {"back_url": url, "back_label": organisation.name}


def _back_to_venue(venue) -> dict:
    return {"back_url": reverse("venues:venue_detail", args=[venue.pk]), "back_label": venue.name}


@login_required
def venue_create(request, org_id: int):
    organisation = services.get_organisation(request.user, org_id)
    if not services.can_manage(request.user, organisation):
        raise services.NotAllowed()
    form = VenueForm(request.POST or None, province_code=organisation.province_code)
    save = lambda data: services.create_venue(request.user, organisation, data)  # noqa: E731
    context = {"title": _("New venue"), **_back_to_organisation(organisation)}
    return _edit(request, form, save, context)


@login_required
def venue_detail(request, venue_id: int):
    venue = services.get_venue(request.user, venue_id)
    context = {
        "venue": venue,
        "zones": venue.zones.all(),
        "can_manage": services.can_manage(request.user, venue.organisation),
        "is_gate_staff": is_gate_staff(request.user, venue),
        "poster_form": PosterForm(),
        "revoke_form": RevokeForm(),
    }
    return render(request, "venues/venue_detail.html", context)


@login_required
def venue_edit(request, venue_id: int):
    venue = services.get_venue(request.user, venue_id)
    if not services.can_manage(request.user, venue.organisation):
        raise services.NotAllowed()
    form = VenueForm(
        request.POST or None, instance=venue, province_code=venue.organisation.province_code
    )
    save = lambda data: services.update_venue(request.user, venue, data)  # noqa: E731
    return _edit(request, form, save, {"title": venue.name, **_back_to_venue(venue)})


def _code_action(request, obj, action: str):
    """Revoking or reissuing stops every printed poster: a second, explicit step (a page that
    says what will happen, with the reason carried over) before anything changes. No script
    needed, so it holds on any phone and under the strict CSP."""
    if action not in ("revoke", "reissue"):
        raise VaoraError("unknown_action", "Thao tác không hợp lệ.", "Unknown action.", 404)
    services.require_code_manager(request.user, obj)
    if request.POST.get("confirmed") != "yes":
        context = {"obj": obj, "action": action, "reason": request.POST.get("reason", "")[:200]}
        return render(request, "venues/confirm_code_action.html", context)
    if action == "revoke":
        form = RevokeForm(request.POST)
        reason = form.cleaned_data["reason"] if form.is_valid() else ""
        services.revoke(request.user, obj, reason)
    else:
        services.reissue(request.user, obj)
    return None


@login_required
@require_POST
def venue_code_action(request, venue_id: int, action: str):
    venue = services.get_venue(request.user, venue_id)
    return _code_action(request, venue, action) or redirect("venues:venue_detail",
                                                            venue_id=venue.pk)  # fmt: skip


@login_required
@require_POST
def zone_code_action(request, zone_id: int, action: str):
    zone = services.get_zone(request.user, zone_id)
    return _code_action(request, zone, action) or redirect("venues:venue_detail",
                                                           venue_id=zone.venue_id)  # fmt: skip


def _poster_response(request, obj, filename: str):
    form = PosterForm(request.GET or None)
    fmt, size = ("pdf", "a4")
    if form.is_valid():
        fmt, size = form.cleaned_data["format"], form.cleaned_data["size"]
    response = HttpResponse(posters.poster(obj, fmt, size), content_type=posters.CONTENT_TYPES[fmt])
    services.count_posters_issued([obj])
    response["Content-Disposition"] = f'attachment; filename="{filename}-{size}.{fmt}"'
    return response


@login_required
def venue_poster(request, venue_id: int):
    venue = services.get_venue(request.user, venue_id)
    return _poster_response(request, venue, f"poster-{venue.short_code}")


@login_required
def zone_poster(request, zone_id: int):
    zone = services.get_zone(request.user, zone_id)
    return _poster_response(request, zone, f"poster-{zone.short_code}")


@login_required
def organisation_posters(request, org_id: int):
    organisation = services.get_organisation(request.user, org_id)
    size = request.GET.get("size", "a4")
    size = size if size in posters.SIZES else "a4"
    if request.GET.get("zones"):
        objects = services.zones_for_posters(organisation)
    else:
        objects = organisation.venues.filter(revoked_at__isnull=True).select_related("commune")
    objects = list(objects)
    response = HttpResponse(posters.posters_pdf(objects, size), content_type="application/pdf")
    services.count_posters_issued(objects)
    name = f"posters-{organisation.pk}-{size}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def zone_create(request, venue_id: int):
    venue = services.get_venue(request.user, venue_id)
    return _zone_form(request, venue, None)


@login_required
def zone_edit(request, zone_id: int):
    zone = services.get_zone(request.user, zone_id)
    return _zone_form(request, zone.venue, zone)


def _zone_form(request, venue: Venue, zone):
    if not services.can_manage(request.user, venue.organisation):
        raise services.NotAllowed()
    form = ZoneForm(request.POST or None, instance=zone)
    if zone is None:
        save = lambda data: services.create_zone(request.user, venue, data)  # noqa: E731
    else:
        save = lambda data: services.update_zone(request.user, zone, data)  # noqa: E731
    title = zone.name if zone else _("New zone")
    return _edit(request, form, save, {"title": title, **_back_to_venue(venue)})


@login_required
def venue_import(request, org_id: int):
    organisation = services.get_organisation(request.user, org_id)
    if not services.can_manage(request.user, organisation):
        raise services.NotAllowed()
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    status = 200
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            form.add_error("file", importer.too_large().message)
            status = 413
        else:
            report = importer.import_venues(request.user, organisation, upload, upload.name)
    context = {"form": form, "organisation": organisation, "report": report}
    return render(request, "venues/venue_import.html", context, status=status)


TEMPLATE_HEADER = [
    "ten_dia_diem",
    "loai_hinh",
    "dia_chi",
    "xa_phuong",
    "suc_chua",
    "thoi_gian_luu_phut",
    "bien_so",
    "tuyen",
    "nha_xe",
    "vi_do",
    "kinh_do",
]
TEMPLATE_EXAMPLES = [
    ["Cổng chính", "benh_vien", "12 Lê Lợi", "Phường Trường Vinh", "500", "", "", "", "", "", ""],
    ["Xe khách Vinh – Hà Nội", "xe_khach", "", "Phường Trường Vinh", "45", "", "37B-123.45",
     "Vinh – Hà Nội", "Nhà xe Hoàng Long", "", ""],
]  # fmt: skip


@login_required
def venue_import_template(request, org_id: int, fmt: str):
    """The spreadsheet to fill for an import: the columns the importer reads, with two example
    rows (a gate and a coach) to overwrite."""
    organisation = services.get_organisation(request.user, org_id)
    if not services.can_manage(request.user, organisation):
        raise services.NotAllowed()
    return tables.response(fmt, TEMPLATE_HEADER, TEMPLATE_EXAMPLES, "mau-nhap-dia-diem")


@login_required
def venue_export(request, org_id: int, fmt: str):
    organisation = services.get_organisation(request.user, org_id)
    venues = organisation.venues.select_related("commune").order_by("name_order", "id")
    return exports.venues_response(venues, fmt, f"venues-{organisation.pk}")
