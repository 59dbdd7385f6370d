"""Pages for oversight officials: compliance, required organisations, reminders, statistics.
Rules live in compliance.py, reminders.py and stats.py; these views only read forms and
render."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from vaora.core import exports
from vaora.core.errors import VaoraError
from vaora.oversight import charts, compliance, reminders, stats
from vaora.oversight.models import Outlier, Status
from vaora.venues.importer import too_large
from vaora.venues.models import Kind

UPLOAD_LIMIT = 5 * 1024 * 1024
PER_PAGE = 50


def _filters(request) -> dict:
    commune = compliance.scope_commune(request.user, _int(request.GET.get("commune")))
    return {"commune": commune, "kind": request.GET.get("kind", ""),
            "status": request.GET.get("status", ""), "outlier": request.GET.get("outlier", ""),
            "sort": request.GET.get("sort", "name")}  # fmt: skip


def uploaded(request):
    """The spreadsheet posted as `file`, refused above the limit; None, with a message to the
    official, when none was chosen."""
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("Choose a CSV or XLSX file."))
    elif upload.size > UPLOAD_LIMIT:
        raise too_large()
    return upload


def _int(raw) -> int | None:
    return int(raw) if raw and str(raw).isdigit() else None


@login_required
def overview(request):
    compliance.require_overseer(request.user)
    rows = compliance.venue_activity(request.user)
    since = timezone.now() - datetime.timedelta(days=1)
    context = {
        "counts": compliance.status_counts(rows), "total": rows.count(),
        "statuses": Status.choices, "refreshed": compliance.last_refresh(),
        "new_silent": reminders.new_silent(request.user, since)[:20],
    }  # fmt: skip
    return render(request, "oversight/overview.html", context)


@login_required
def venues(request):
    filters = _filters(request)
    rows = compliance.venue_activity(request.user, **filters)
    fmt = request.GET.get("fmt")
    if fmt:
        compliance.record_list_read(request.user, "venues_export", rows.count())
        return exports.response(fmt, *compliance.venue_table(rows), "compliance")
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "page": page, "filters": filters, "communes": compliance.communes_for(request.user),
        "kinds": Kind.choices, "statuses": Status.choices, "outliers": Outlier.choices[1:],
        "refreshed": compliance.last_refresh(), "sorts": compliance.SORTS,
    }  # fmt: skip
    return render(request, "oversight/venues.html", context)


@login_required
def required(request):
    compliance.require_overseer(request.user)
    report = None
    if request.method == "POST" and (upload := uploaded(request)):
        report = compliance.import_required(request.user, upload.file, upload.name)
    commune = compliance.scope_commune(request.user, _int(request.GET.get("commune")))
    rows = compliance.not_registered(request.user, commune)
    shown_rows = rows.filter(registered=request.GET.get("registered") == "yes")
    page = Paginator(shown_rows, PER_PAGE).get_page(request.GET.get("page"))
    context = {"report": report, "page": page, "total": rows.count(),
               "missing": rows.filter(registered=False).count(),
               "communes": compliance.communes_for(request.user), "commune": commune}  # fmt: skip
    return render(request, "oversight/required.html", context)


@login_required
@require_POST
def send_reminders(request):
    """Two steps: what would go out (and to whom nothing can) is shown first; only the
    confirmed second post sends."""
    ids = [int(v) for v in request.POST.getlist("venue") if v.isdigit()]
    try:
        if request.POST.get("confirmed") != "yes":
            outlook = reminders.preview(request.user, ids)
            return render(request, "oversight/confirm_reminders.html",
                          {"ids": ids, "outlook": outlook})  # fmt: skip
        result = reminders.send(request.user, ids)
    except VaoraError as error:
        if error.status == 404:
            raise
        messages.error(request, error.message)
        return redirect("oversight:venues")
    counts = {"n": result.reminders, "m": result.messages, "none": result.without_recipient,
              "again": result.already_reminded}  # fmt: skip
    if result.messages:
        messages.success(request, _("%(n)d reminders sent (%(m)d messages).") % counts)
    else:
        messages.warning(request, _("No reminder was sent.") % counts)
    if result.without_recipient:
        messages.warning(
            request,
            _(
                "%(none)d venues have no manager with a phone or e-mail: "
                "nothing was sent to them. Add a manager first."
            )
            % counts,
        )
    if result.already_reminded:
        messages.info(
            request,
            _(
                "%(again)d venues were already reminded in the last 24 hours "
                "and were not reminded again."
            )
            % counts,
        )
    return redirect("oversight:reminders")


@login_required
def reminder_list(request):
    rows = reminders.reminders_for(request.user, effective=request.GET.get("effective", ""))
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    templates = [reminders.template(key) for key in reminders.REMINDABLE]
    context = {"page": page, "templates": templates,
               "can_edit": reminders.may_edit_templates(request.user),
               "labels": dict(Status.choices)}  # fmt: skip
    return render(request, "oversight/reminders.html", context)


@login_required
@require_POST
def save_template(request, key: str):
    try:
        reminders.save_template(request.user, key, request.POST.get("text_vi", ""),
                                request.POST.get("text_en", ""))  # fmt: skip
        messages.success(request, _("The template is saved."))
    except VaoraError as error:
        messages.error(request, error.message)
    return redirect("oversight:reminders")


def _scope(request) -> stats.Scope:
    commune = compliance.scope_commune(request.user, _int(request.GET.get("commune")))
    try:
        day = datetime.date.fromisoformat(request.GET.get("day", ""))
    except ValueError:
        day = None
    return stats.scope_for(request.user, commune, _int(request.GET.get("days")), day)


@login_required
def dashboard(request):
    compliance.require_overseer(request.user)
    scope = _scope(request)
    series = stats.dashboard(scope)
    wanted = request.GET.get("download")
    if wanted:
        return _download(series, wanted, request.GET.get("fmt", "csv"))
    compliance.record_list_read(request.user, "stats", len(series))
    context = {"charts": [(s, charts.draw(s)) for s in series], "scope": scope,
               "communes": compliance.communes_for(request.user),
               "periods": stats.PERIODS}  # fmt: skip
    return render(request, "oversight/dashboard.html", context)


def _download(series: list[stats.Series], key: str, fmt: str):
    chosen = next((s for s in series if s.key == key), None)
    if chosen is None:
        raise VaoraError("unknown_chart", "Không có biểu đồ này.", "There is no such chart.", 404)
    header = [str(chosen.label_header), str(chosen.value_header)]
    return exports.response(fmt, header, chosen.table(), f"vaora-{chosen.key}")


def public_stats(request):
    """For the press: the province's and its communes' figures up to yesterday, suppressed."""
    scope, series = stats.public()
    wanted = request.GET.get("download")
    if wanted:
        return _download(series, wanted, request.GET.get("fmt", "csv"))
    return render(request, "oversight/public_stats.html",
                  {"charts": [(s, charts.draw(s)) for s in series], "scope": scope})  # fmt: skip
