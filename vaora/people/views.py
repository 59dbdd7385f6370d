"""Citizen sign-in by phone code, profile and consent pages."""

from django.conf import settings
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from vaora.core import crypto, hooks
from vaora.core.client_address import client_address
from vaora.core.errors import VaoraError
from vaora.core.forms import add_refusal
from vaora.core.places import installation_province_code
from vaora.people import otp, services, sessions
from vaora.people.forms import CodeForm, PhoneForm, ProfileForm
from vaora.people.identity import mask_phone

SESSION_PHONE = "otp_phone"  # kept encrypted: the session table is not
SESSION_NEXT = "after_signin"


def _safe_next(request, fallback="people:me") -> str:
    target = request.GET.get("next") or request.session.get(SESSION_NEXT) or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    from django.urls import reverse

    return reverse(fallback)


def client_ip(request) -> str | None:
    return client_address(request.META)


def continue_citizen(request, account):
    """Where a signed-in citizen goes next: profile, then consent, then where they were going."""
    if services.needs_profile(account):
        return redirect("people:profile")
    if services.needs_consent(account):
        return redirect("people:consent")
    target = _safe_next(request)
    request.session.pop(SESSION_NEXT, None)
    return redirect(target)


@require_http_methods(["GET", "POST"])
def signin_phone(request):
    if request.GET.get("next"):
        request.session[SESSION_NEXT] = request.GET["next"]
    form = PhoneForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            phone = otp.request_code(form.cleaned_data["phone"], client_ip(request))
        except VaoraError as error:
            form.add_error("phone", error.message)
            status = error.status
        else:
            request.session[SESSION_PHONE] = crypto.encrypt(phone, SESSION_PHONE)
            return redirect("people:signin_code")
    return render(request, "people/signin_phone.html", {"form": form}, status=status)


@require_http_methods(["GET", "POST"])
def signin_code(request):
    sealed = request.session.get(SESSION_PHONE)
    if not sealed:
        return redirect("people:signin")
    phone = crypto.decrypt(sealed, SESSION_PHONE)
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            otp.verify_code(phone, form.cleaned_data["code"])
        except VaoraError as error:
            form.add_error("code", error.message)
            status = error.status
        else:
            account = services.citizen_for_phone(phone)
            next_target = request.session.get(SESSION_NEXT)
            login(request, account, backend="django.contrib.auth.backends.ModelBackend")
            if next_target:  # login() starts a new session: carry the destination over
                request.session[SESSION_NEXT] = next_target
            return continue_citizen(request, account)
    context = {"form": form, "masked_phone": mask_phone(phone),
               "debug_outbox": settings.DEBUG and settings.VAORA_SMS_BACKEND != "http"}  # fmt: skip
    return render(request, "people/signin_code.html", context, status=status)


@login_required(login_url="people:signin")
@require_http_methods(["GET", "POST"])
def profile(request):
    person = request.user.person
    if person is None:
        return redirect("core:home")
    province = (
        request.POST.get("province")
        or request.GET.get("province")
        or (
            person.home_commune.province_code
            if person.home_commune
            else installation_province_code()
        )
    )
    initial = {"name": person.name, "birth_year": person.birth_year, "cccd": person.cccd or "",
               "province": province, "home_commune": person.home_commune,
               "auto_checkin": request.user.auto_checkin}  # fmt: skip
    form = ProfileForm(request.POST or None, initial=initial, province_code=province)
    if request.method == "POST" and "save" in request.POST and form.is_valid():
        try:
            services.save_person(person, form.cleaned_data)
            request.user.auto_checkin = form.cleaned_data["auto_checkin"]
            request.user.save(update_fields=["auto_checkin"])
        except VaoraError as error:
            add_refusal(form, error)
        else:
            return continue_citizen(request, request.user)
    return render(request, "people/profile.html", {"form": form})


@login_required(login_url="people:signin")
@require_http_methods(["GET", "POST"])
def consent(request):
    if request.method == "POST":
        services.record_consent(request.user)
        return continue_citizen(request, request.user)
    context = {"version": services.CONSENT_VERSION, "retention_days": _retention_days()}
    return render(request, "people/consent.html", context)


def _retention_days() -> int:
    from django.conf import settings

    return settings.VAORA_RETENTION_DAYS


def citizen_required(view):
    """Signed-in citizens with a person record; others go to sign in (or their own home)."""
    from functools import wraps

    @wraps(view)
    @login_required(login_url="people:signin")
    def wrapped(request, *args, **kwargs):
        if request.user.role != "citizen" or request.user.person_id is None:
            return redirect("core:home")
        return view(request, *args, **kwargs)

    return wrapped


@citizen_required
def me(request):
    person = request.user.person
    context = {"person": person, "notices": person.notices.all()[:5],
               "exposures": hooks.answer("person.exposures", person, default=[])}  # fmt: skip
    return render(request, "people/me.html", context)


@login_required
@require_POST
def sign_out_everywhere(request):
    """Ends every session, API token and check-in pass of the account (a lost phone)."""
    sessions.sign_out_everywhere(request.user)
    logout(request)
    return redirect("core:landing")
