"""The health department's tracing settings page: what counts as exposure at each kind of
place, and the texts of the notices. Rules live in services.save_rule / alerts.save_template
(audited there); this page only shows and reads forms."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from vaora.core.errors import VaoraError
from vaora.tracing import alerts, services
from vaora.tracing.rules import DEFAULT, MINUTE, WARD, Rules
from vaora.venues.models import Kind


class RuleForm(forms.Form):
    min_overlap_minutes = forms.IntegerField(label=gettext_lazy("Minimum overlap (minutes)"),
                                             min_value=0, max_value=1440)  # fmt: skip
    buffer_before_minutes = forms.IntegerField(label=gettext_lazy("Buffer before (minutes)"),
                                               min_value=0, max_value=240)  # fmt: skip
    buffer_after_minutes = forms.IntegerField(label=gettext_lazy("Buffer after (minutes)"),
                                              min_value=0, max_value=240)  # fmt: skip
    high_risk_minutes = forms.IntegerField(label=gettext_lazy("High risk from (minutes)"),
                                           min_value=0, max_value=1440)  # fmt: skip


def _places() -> list[tuple[str, str]]:
    return [*Kind.choices, (WARD, _("Hospital ward (any venue)"))]


def _rows(rules: Rules) -> list[dict]:
    rows = []
    for key, label in _places():
        rule = rules.table.get(key, DEFAULT)  # the table holds the defaults it overrides
        rows.append({"key": key, "label": label, "min_overlap": rule.min_overlap // MINUTE,
                     "before": rule.before // MINUTE, "after": rule.after // MINUTE,
                     "high_risk": rule.high_risk // MINUTE})  # fmt: skip
    return rows


@login_required
def tracing_settings(request):
    services.require_health_official(request.user)
    templates = [(key, *alerts.texts(key)) for key in ("f1", "f2")]
    context = {"rules": _rows(Rules.from_database()), "templates": templates}
    return render(request, "tracing/settings.html", context)


@login_required
@require_POST
def save_rule(request, kind: str):
    services.require_health_official(request.user)
    form = RuleForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(m for ms in form.errors.values() for m in ms))
        return redirect("tracing:settings")
    services.save_rule(request.user, kind, form.cleaned_data)
    messages.success(request, _("The rule is saved; it applies to the next trace."))
    return redirect("tracing:settings")


@login_required
@require_POST
def save_template(request, key: str):
    services.require_health_official(request.user)
    try:
        alerts.save_template(request.user, key, request.POST.get("text_vi", ""),
                             request.POST.get("text_en", ""))  # fmt: skip
        messages.success(request, _("The template is saved."))
    except VaoraError as error:
        if error.status == 404:
            raise
        messages.error(request, error.message)
    return redirect("tracing:settings")
