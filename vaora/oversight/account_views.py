"""The accounts page: provision one account or a spreadsheet of them, deactivate, re-send an
activation link, reset a lost authenticator; and the activation link's own page. Rules in
accounts.py / account_import.py."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.password_validation import password_validators_help_texts
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from vaora.core.errors import VaoraError
from vaora.core.forms import VietnameseChoiceField, add_refusal
from vaora.core.models import Place
from vaora.core.scoping import places_in_area
from vaora.oversight import account_import, accounts, duties
from vaora.venues.importer import too_large
from vaora.venues.models import Organisation, Sector

UPLOAD_LIMIT = 5 * 1024 * 1024


class AccountForm(forms.Form):
    username = forms.CharField(label=gettext_lazy("User name"), max_length=150)
    display_name = forms.CharField(label=gettext_lazy("Name shown"), max_length=150, required=False)
    role = forms.ChoiceField(
        label=gettext_lazy("Role"), choices=[(r.value, r.label) for r in accounts.PROVISIONABLE]
    )
    jurisdiction = VietnameseChoiceField(
        label=gettext_lazy("Jurisdiction (officials, helpers)"),
        queryset=Place.objects.none(),
        required=False,
    )
    organisation = VietnameseChoiceField(
        label=gettext_lazy("Organisation (managers, staff)"),
        queryset=Organisation.objects.none(),
        required=False,
    )
    sector = forms.ModelChoiceField(
        label=gettext_lazy("Sector (a department's or board's oversight account)"),
        queryset=Sector.objects.none(), required=False, to_field_name="code",
    )  # fmt: skip
    phone = forms.CharField(label=gettext_lazy("Phone"), max_length=20, required=False)
    email = forms.EmailField(label=gettext_lazy("E-mail"), required=False)

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        given = duties.roles_given_by(user)  # a health administrator: health officials only
        self.fields["role"].choices = [(r.value, r.label) for r in accounts.PROVISIONABLE
                                       if r in given]  # fmt: skip
        self.fields["jurisdiction"].queryset = places_in_area(user)
        self.fields["organisation"].queryset = Organisation.objects.visible_to(user)
        self.fields["sector"].queryset = accounts.sectors_for(user)


@login_required
def account_list(request):
    duties.require_provisioner(request.user)
    form = AccountForm(request.user, request.POST if "username" in request.POST else None)
    report, link, status = None, None, 200
    if request.method == "POST" and "file" in request.FILES:
        upload = request.FILES["file"]
        if upload.size > UPLOAD_LIMIT:
            raise too_large()
        report = account_import.import_accounts(request.user, upload.file, upload.name)
    elif form.is_bound and form.is_valid():
        try:
            new = accounts.NewAccount(**form.cleaned_data)
            account, link = accounts.create_account(request.user, new)
            messages.success(request, _("Account %(name)s created; the activation link was sent.")
                             % {"name": account.username})  # fmt: skip
        except VaoraError as error:
            add_refusal(form, error)
            status = error.status
    rows = accounts.accounts_for(request.user, role=request.GET.get("role", ""),
                                 active=request.GET.get("active", ""),
                                 query=request.GET.get("q", ""))  # fmt: skip
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    context = {"form": form, "report": report, "link": link, "page": page,
               "roles": [(r.value, r.label) for r in accounts.PROVISIONABLE],
               "approvals": duties.pending(request.user)}  # fmt: skip
    return render(request, "oversight/accounts.html", context, status=status)


ACTIONS = {
    "deactivate": lambda user, pk: accounts.set_active(user, pk, False),
    "activate": lambda user, pk: accounts.set_active(user, pk, True),
    "reset-second-factor": accounts.reset_second_factor,
    "resend": accounts.resend_activation,
}


@login_required
@require_POST
def account_action(request, account_id: int, action: str):
    if action not in ACTIONS:
        raise VaoraError("unknown_action", "Không có thao tác này.", "No such action.", 404)
    try:
        ACTIONS[action](request.user, account_id)
        messages.success(request, _("Done."))
    except VaoraError as error:
        if error.status in (403, 404):  # not theirs, or not their role: the coded error page
            raise
        messages.error(request, error.message)
    return redirect("oversight:accounts")


@never_cache
@require_http_methods(["GET", "POST"])
def activate(request, token: str):
    """The activation link: set a password (checked by the password rules), then sign in."""
    error = ""
    try:
        account = accounts.account_for_activation(token)
    except VaoraError as problem:
        return render(
            request, "oversight/activate.html", {"problem": problem}, status=problem.status
        )
    if request.method == "POST":
        try:
            accounts.activate(token, request.POST.get("password", ""),
                              request.POST.get("password_again", ""))  # fmt: skip
        except VaoraError as problem:
            error = problem.message
        else:
            messages.success(request, _("Your password is set. Please sign in."))
            return redirect("core:login")
    context = {"account": account, "error": error, "rules": password_validators_help_texts()}
    return render(request, "oversight/activate.html", context, status=400 if error else 200)


@login_required
@require_POST
def approve_duty(request, approval_id: int):
    """A second administrator approves another's change to a health account."""
    accounts.approve_duty(request.user, approval_id)
    messages.success(request, _("Approved and carried out."))
    return redirect("oversight:accounts")
