"""The helper's page: organisations registered on owners' behalf, and their hand-over."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from vaora.core.errors import VaoraError
from vaora.core.forms import VietnameseChoiceField, add_refusal
from vaora.core.models import Place
from vaora.core.roles import Role
from vaora.oversight import helpers
from vaora.oversight.accounts import NewAccount
from vaora.oversight.compliance import communes_for
from vaora.people import cards
from vaora.venues.models import Kind


class OrganisationForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name of the organisation"), max_length=200)
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=Kind.choices)
    commune = VietnameseChoiceField(
        label=gettext_lazy("Commune or ward"), queryset=Place.objects.none()
    )
    registry_code = forms.CharField(
        label=gettext_lazy("Tax code (if any)"), max_length=20, required=False
    )

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = communes_for(user)


@login_required
def organisations(request):
    helpers.require_registrar(request.user)
    form = OrganisationForm(request.user, request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            organisation = helpers.register_organisation(request.user, **form.cleaned_data)
            messages.success(request, _("Registered. Now add its venues, then hand it over."))
            return redirect("venues:organisation_detail", org_id=organisation.pk)
        except VaoraError as error:
            add_refusal(form, error)
            status = error.status
    context = {"form": form, "registered": helpers.registered_by(request.user)}
    return render(request, "oversight/helper.html", context, status=status)


class PersonForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Full name"), max_length=120)
    phone = forms.CharField(label=gettext_lazy("Phone (if any)"), max_length=20, required=False)
    cccd = forms.CharField(
        label=gettext_lazy("CCCD number (if any)"), max_length=20, required=False
    )
    birth_year = forms.IntegerField(
        label=gettext_lazy("Birth year"), min_value=1900, max_value=2100, required=False
    )
    home_commune = VietnameseChoiceField(
        label=gettext_lazy("Commune or ward of residence"),
        queryset=Place.objects.none(),
        required=False,
    )

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["home_commune"].queryset = communes_for(user)


@login_required
def sign_up_person(request):
    """Assisted sign-up: the new person's QR card comes back as a PDF to print."""
    helpers.require_registrar(request.user)
    form = PersonForm(request.user, request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            person = helpers.sign_up_person(request.user, **form.cleaned_data)
        except VaoraError as error:
            add_refusal(form, error)
            status = error.status
        else:
            response = HttpResponse(cards.cards_pdf([person]), content_type="application/pdf")
            response["Content-Disposition"] = f'attachment; filename="the-vaora-{person.pk}.pdf"'
            return response
    return render(request, "oversight/sign_up_person.html", {"form": form}, status=status)


@login_required
@require_POST
def hand_over(request, org_id: int):
    manager = NewAccount(
        username=request.POST.get("username", ""),
        role=Role.ORG_MANAGER,
        display_name=request.POST.get("display_name", ""),
        phone=request.POST.get("phone", ""),
        email=request.POST.get("email", ""),
    )
    try:
        organisation, link = helpers.hand_over(request.user, org_id, manager)
        messages.success(
            request, _("Handed over: the manager's activation link is %(link)s") % {"link": link}
        )
    except VaoraError as error:
        if error.status in (403, 404):  # not theirs, or not their role: the coded error page
            raise
        fields = getattr(error, "fields", {})
        messages.error(request, "; ".join(m for ms in fields.values() for m in ms) or error.message)
    return redirect("oversight:helper")
