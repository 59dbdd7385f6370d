"""Sign-in for staff and officials: password, then — for officials and administrators — a TOTP
code from an authenticator app (enrolled at the first sign-in). Until the second step passes
the session holds only a short-lived "pending" mark, never a signed-in user."""

import time

from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from vaora.core import audit, totp
from vaora.core.qr import screen_svg
from vaora.core.roles import SECOND_FACTOR_ROLES

PENDING = "vaora_pending_second_factor"
PENDING_SECONDS = 300
MAX_TRIES = 5
BACKEND = "django.contrib.auth.backends.ModelBackend"


class PasswordStep(auth_views.LoginView):
    template_name = "core/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form):
        account = form.get_user()
        if account.role not in SECOND_FACTOR_ROLES:
            return super().form_valid(form)
        self.request.session[PENDING] = {
            "id": account.pk, "at": time.time(), "next": self.get_success_url(), "tries": 0,
        }  # fmt: skip
        return redirect("core:login_second_factor")


def _pending_account(request) -> tuple[dict | None, object]:
    pending = request.session.get(PENDING)
    if not pending or time.time() - pending["at"] > PENDING_SECONDS:
        return None, None
    account = get_user_model().objects.filter(pk=pending["id"], is_active=True).first()
    return pending, account


def accept_code(account, code: str) -> bool:
    """Checks a TOTP code; a code (time step) already used is refused (no replay)."""
    if not account.totp_secret:
        return False
    matched = totp.matching_step(account.totp_secret, code)
    replayed = (
        account.totp_last_step is not None
        and matched is not None
        and (matched <= account.totp_last_step)
    )
    if matched is None or replayed:
        return False
    account.totp_last_step = matched
    fields = ["totp_last_step"]
    if account.totp_confirmed_at is None:
        account.totp_confirmed_at = timezone.now()
        fields.append("totp_confirmed_at")
    account.save(update_fields=fields)
    return True


@never_cache
@require_http_methods(["GET", "POST"])
def second_factor(request):
    pending, account = _pending_account(request)
    if account is None:
        request.session.pop(PENDING, None)
        messages.error(request, _("Please sign in again."))
        return redirect("core:login")
    enrolling = account.totp_confirmed_at is None
    if enrolling and not account.totp_secret:
        account.totp_secret = totp.new_secret()
        account.save(update_fields=["totp_secret"])
    error = ""
    if request.method == "POST":
        if accept_code(account, request.POST.get("code", "")):
            request.session.pop(PENDING, None)
            login(request, account, backend=BACKEND)
            if enrolling:
                audit.record(account, "account.second_factor_enrolled", target=account)
            return redirect(pending["next"])
        pending["tries"] += 1
        request.session[PENDING] = pending
        if pending["tries"] >= MAX_TRIES:
            request.session.pop(PENDING, None)
            messages.error(request, _("Too many wrong codes. Please sign in again."))
            return redirect("core:login")
        error = _("The code is not correct. Use the newest code your app shows.")
    context = {"enrolling": enrolling, "error": error}
    if enrolling:
        uri = totp.provisioning_uri(account.totp_secret, account.username)
        context |= {"secret": account.totp_secret,
                    "qr_svg": screen_svg(uri)}  # fmt: skip
    return render(request, "core/second_factor.html", context, status=400 if error else 200)
