"""The helper's page: organisations registered on owners' behalf, and their hand-over."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from vaora.core.errors import VaoraError
from vaora.core.forms import add_refusal
from vaora.core.models import Place
from vaora.core.roles import Role
from vaora.oversight import helpers
from vaora.oversight.accounts import NewAccount
from vaora.venues.models import Kind


class OrganisationForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name of the organisation"), max_length=200)
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=Kind.choices)
    commune = forms.ModelChoiceField(
        label=gettext_lazy("Commune or ward"), queryset=Place.objects.none()
    )
    registry_code = forms.CharField(
        label=gettext_lazy("Tax code (if any)"), max_length=20, required=False
    )

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        communes = Place.objects.filter(scheme=Place.Scheme.CURRENT, level=Place.Level.COMMUNE)
        if user.role != Role.ADMIN:
            communes = communes.filter(path__startswith=user.jurisdiction.path)
        self.fields["commune"].queryset = communes


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


@login_required
@require_POST
def hand_over(request, org_id: int):
    manager = NewAccount(
        username=request.POST.get("username", "").strip().lower(),
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
        if error.status == 404:
            raise
        fields = getattr(error, "fields", {})
        messages.error(request, "; ".join(m for ms in fields.values() for m in ms) or error.message)
    return redirect("oversight:helper")
