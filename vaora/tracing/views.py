"""Pages for health officials: cases, and a case's timeline, contacts, notices and exposure
sites. Every rule is in services.py / alerts.py; every read of personal data is audited there."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from vaora.core.errors import VaoraError
from vaora.core.forms import add_refusal
from vaora.tracing import alerts, services
from vaora.tracing.export import contacts_response
from vaora.tracing.models import Case, Contact


class OpenCaseForm(forms.Form):
    phone = forms.CharField(label=_("Phone"), required=False, max_length=20)
    cccd = forms.CharField(label=_("CCCD number"), required=False, max_length=20)
    test_date = forms.DateField(label=_("Positive test on"),
                                widget=forms.DateInput(attrs={"type": "date"}))  # fmt: skip
    onset_date = forms.DateField(label=_("Symptoms since (if any)"), required=False,
                                 widget=forms.DateInput(attrs={"type": "date"}))  # fmt: skip
    purpose = forms.CharField(label=_("Purpose of the trace"), min_length=10, max_length=300,
                              widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip


class TraceForm(forms.Form):
    depth = forms.TypedChoiceField(
        label=_("Depth"), coerce=int, initial=2,
        choices=[(1, "F1"), (2, "F1 + F2"), (3, "F1 + F2 + F3")],
    )  # fmt: skip
    min_overlap = forms.IntegerField(label=_("Minimum overlap (minutes, all kinds)"),
                                     required=False, min_value=0, max_value=1440)  # fmt: skip
    sensitive_reason = forms.CharField(
        label=_("Also trace through clinics and places of worship, because"), required=False,
        max_length=300,
        help_text=_("Left out unless you state why; the reason is recorded and the person "
                    "sees it."),
    )  # fmt: skip


@login_required
def cases(request):
    services.require_health_official(request.user)
    form = OpenCaseForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            case = services.open_case(request.user, **form.cleaned_data)
            return redirect("tracing:case", case_id=case.pk)
        except VaoraError as error:
            add_refusal(form, error)
            status = error.status
    listed = Case.objects.visible_to(request.user).select_related("person", "place")
    page = Paginator(listed, 20).get_page(request.GET.get("page"))
    return render(request, "tracing/cases.html", {"form": form, "page": page}, status=status)


def _filters(request) -> dict:
    """The contact list's filters, as the page's form sends them."""
    return {key: request.GET.get(key) or None for key in ("degree", "risk", "state")}


@login_required
def case(request, case_id: int):
    found = services.get_case(request.user, case_id)
    filters = _filters(request)
    rows = services.contacts(request.user, found, **filters)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    page.object_list = services.read_page(request.user, found, page.object_list)
    timeline = services.timeline(request.user, found)
    context = {
        "case": found, "timeline": timeline, "page": page,
        "published_visits": alerts.published_visits(found, timeline),
        "filters": filters, "by_venue": services.busiest_venues(found), "trace_form": TraceForm(),
        "counts": dict(found.contacts.values_list("degree").annotate(n=Count("id"))),
        "batches": found.notice_batches.order_by("-created_at"), "states": Contact.State,
        "previews": {b.pk: alerts.preview(b) for b in found.notice_batches.filter(
            status__in=("pending", "approved"))},
        "progress": {b.pk: alerts.progress(b) for b in found.notice_batches.filter(
            status__in=("sending", "sent"))},
        "reveals": found.reveal_requests.filter(approved_at__isnull=True)
                   .exclude(requested_by=request.user).select_related("requested_by"),
        "threshold": alerts.threshold(),
    }  # fmt: skip
    return render(request, "tracing/case.html", context)


def _act(request, case_id: int, action):
    """Runs a change on the case and goes back to it (a refusal becomes its coded page)."""
    found = services.get_case(request.user, case_id)
    action(found)
    return redirect("tracing:case", case_id=found.pk)


@login_required
@require_POST
def trace(request, case_id: int):
    form = TraceForm(request.POST)
    if not form.is_valid():
        return redirect("tracing:case", case_id=case_id)
    return _act(request, case_id, lambda c: services.trace_case(
        request.user, c, depth=form.cleaned_data["depth"],
        min_overlap=form.cleaned_data["min_overlap"],
        sensitive_reason=form.cleaned_data["sensitive_reason"]))  # fmt: skip


@login_required
@require_POST
def contact_state(request, case_id: int, contact_id: int):
    state = request.POST.get("state", "")
    return _act(request, case_id, lambda c: services.set_state(request.user, c, contact_id, state))


@login_required
@require_POST
def notices(request, case_id: int):
    degree = int(request.POST["degree"]) if request.POST.get("degree", "").isdigit() else None
    return _act(request, case_id, lambda c: alerts.create_batch(request.user, c, degree=degree))


@login_required
@require_POST
def batch_action(request, case_id: int, batch_id: int, action: str):
    def run(found):
        batch = found.notice_batches.filter(pk=batch_id).first()
        if batch is None or action not in ("approve", "send"):
            raise VaoraError("not_found", "Không tìm thấy.", "Not found.", 404)
        (alerts.approve if action == "approve" else alerts.send)(request.user, batch)

    return _act(request, case_id, run)


@login_required
@require_POST
def approve_reveal(request, case_id: int, request_id: int):
    return _act(request, case_id, lambda c: alerts.approve_reveal(request.user, c, request_id))


LOCAL_MINUTE = "%Y-%m-%dT%H:%M"  # what <input type="datetime-local"> sends


def _local_time(label) -> forms.DateTimeField:
    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format=LOCAL_MINUTE)
    return forms.DateTimeField(label=label, input_formats=[LOCAL_MINUTE], widget=widget)


class PublishForm(forms.Form):
    starts_at = _local_time(_("From"))
    ends_at = _local_time(_("Until"))
    advice_vi = forms.CharField(label=_("Advice (Vietnamese)"), max_length=1000,
                                widget=forms.Textarea(attrs={"rows": 3}))  # fmt: skip
    advice_en = forms.CharField(label=_("Advice (English)"), max_length=1000, required=False,
                                widget=forms.Textarea(attrs={"rows": 3}))  # fmt: skip


@login_required
def publish_visit(request, case_id: int, visit_id: int):
    """Publishing one of the F0's visits as an exposure site: a page with the time window and
    the advice to check and edit first; only its own "publish" button publishes."""
    from django.utils import timezone

    found = services.get_case(request.user, case_id)
    services.require_open(found)
    visit = alerts.timeline_visit(request.user, found, visit_id)
    initial = {"starts_at": timezone.localtime(visit.entered_at),
               "ends_at": timezone.localtime(min(visit.ends_at, timezone.now())),
               "advice_vi": alerts.SITE_ADVICE[0], "advice_en": alerts.SITE_ADVICE[1]}  # fmt: skip
    form = PublishForm(request.POST if request.POST.get("confirmed") == "yes" else None,
                       initial=initial)  # fmt: skip
    status = 200
    if form.is_bound and form.is_valid():
        try:
            alerts.publish_visit(request.user, found, visit_id, **form.cleaned_data)
        except VaoraError as error:
            add_refusal(form, error)
            status = error.status
        else:
            return redirect("tracing:case", case_id=found.pk)
    context = {"case": found, "visit": visit, "form": form}
    return render(request, "tracing/publish_site.html", context, status=status)


@login_required
@require_POST
def close(request, case_id: int):
    return _act(request, case_id, lambda c: services.close_case(request.user, c))


@login_required
def export(request, case_id: int, fmt: str):
    found = services.get_case(request.user, case_id)
    return contacts_response(request.user, found, fmt, _filters(request))
