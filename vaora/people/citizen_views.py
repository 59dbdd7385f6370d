"""A citizen's family, personal QR code and card, health and travel declarations; and the
public pages personal and travel codes open (which show nothing personal without staff)."""

from django.conf import settings
from django.contrib.auth import logout
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from vaora.core.errorpages import refusal
from vaora.core.errors import VaoraError
from vaora.core.forms import add_refusal
from vaora.core.qr import screen_svg
from vaora.people import cards, codes, declarations, mydata, services
from vaora.people.forms import DependantForm, HealthForm, TravelForm
from vaora.people.models import HealthDeclaration, TravelDeclaration
from vaora.people.views import citizen_required


@citizen_required
@require_http_methods(["GET", "POST"])
def family(request):
    person = request.user.person
    form = DependantForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_dependant(request.user, form.cleaned_data)
        except VaoraError as error:
            add_refusal(form, error)
        else:
            return redirect("people:family")
    return render(request, "people/family.html",
                  {"form": form, "dependants": person.dependants.all()})  # fmt: skip


@citizen_required
@require_POST
def remove_dependant(request, person_id: int):
    services.remove_dependant(request.user, person_id)
    return redirect("people:family")


@citizen_required
def my_qr(request):
    person = request.user.person
    members = [person, *person.dependants.all()]
    chosen = next((m for m in members if str(m.pk) == request.GET.get("for")), person)
    context = {"chosen": chosen, "members": members, "svg": screen_svg(codes.person_url(chosen))}
    return render(request, "people/qr.html", context)


@citizen_required
def qr_card(request):
    person = request.user.person
    members = [person, *person.dependants.all()]
    response = HttpResponse(cards.cards_pdf(members), content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="vaora-the-qr.pdf"'
    return response


@citizen_required
@require_http_methods(["GET", "POST"])
def health(request):
    person = request.user.person
    form = HealthForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            declaration = declarations.declare_health(person, form.cleaned_data)
        except VaoraError as error:
            add_refusal(form, error)
        else:
            return redirect("people:health_result", declaration_id=declaration.pk)
    history = HealthDeclaration.objects.filter(person=person)[:20]
    return render(request, "people/health.html", {"form": form, "history": history})


@citizen_required
def health_result(request, declaration_id: int):
    declaration = get_object_or_404(HealthDeclaration, person=request.user.person,
                                    pk=declaration_id)  # fmt: skip
    vi, en = declarations.advice(declaration)
    context = {"declaration": declaration, "advice_vi": vi, "advice_en": en}
    return render(request, "people/health_result.html", context)


@citizen_required
@require_http_methods(["GET", "POST"])
def travel(request):
    person = request.user.person
    form = TravelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            declaration = declarations.declare_travel(person, form.cleaned_data)
        except VaoraError as error:
            add_refusal(form, error)
        else:
            return redirect("people:travel_detail", declaration_id=declaration.pk)
    history = TravelDeclaration.objects.filter(person=person).select_related(
        "from_commune", "to_commune")[:20]  # fmt: skip
    context = {"form": form, "history": history}
    return render(request, "people/travel.html", context)


@citizen_required
def travel_detail(request, declaration_id: int):
    declaration = get_object_or_404(
        TravelDeclaration.objects.select_related("from_commune__parent", "to_commune__parent"),
        person=request.user.person, pk=declaration_id,
    )  # fmt: skip
    context = {"declaration": declaration, "svg": screen_svg(codes.travel_url(declaration))}
    return render(request, "people/travel_detail.html", context)


@require_GET
def person_code_page(request, token: str):
    """What a personal code opens in an ordinary camera: a confirmation that it is genuine and
    nothing else. Reading anyone's data needs a signed-in, authorised account (threat 5)."""
    try:
        codes.resolve_person(token)
    except VaoraError as error:
        return refusal(request, error)
    return render(request, "people/person_code.html")


@require_GET
def travel_code_page(request, token: str):
    """A checkpoint opens the travel QR: validity, route and means, the traveller's initial."""
    try:
        declaration = codes.resolve_travel(token)
    except VaoraError as error:
        return refusal(request, error)
    return render(request, "people/travel_check.html", {"declaration": declaration})


@citizen_required
def my_data(request):
    person = request.user.person
    page = Paginator(mydata.visits(person), 50).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "accesses": mydata.grouped_accesses(person),
        "findings": mydata.findings(person)[:50],
        "health": HealthDeclaration.objects.filter(person=person)[:20],
        "travel": TravelDeclaration.objects.filter(person=person).select_related(
            "from_commune", "to_commune")[:20],
        "retention_days": settings.VAORA_RETENTION_DAYS,
    }  # fmt: skip
    return render(request, "people/my_data.html", context)


@citizen_required
def my_data_download(request, fmt: str):
    person = request.user.person
    if fmt == "json":
        body, kind = mydata.export_json(person), "application/json"
    elif fmt == "csv":
        body, kind = mydata.export_visits_csv(person), "text/csv; charset=utf-8"
    else:
        return render(request, "core/error.html", {"status": 404, "title": "404", "text": ""},
                      status=404)  # fmt: skip
    response = HttpResponse(body, content_type=kind)
    response["Content-Disposition"] = f'attachment; filename="vaora-du-lieu-cua-toi.{fmt}"'
    return response


@citizen_required
@require_POST
def delete_account(request):
    if request.POST.get("confirm") != "yes":
        return redirect("people:my_data")
    mydata.delete_account(request.user)
    logout(request)
    return redirect("core:landing")
