from django import forms
from django.utils.translation import gettext_lazy as _


class CorrectionForm(forms.Form):
    entered_at = forms.DateTimeField(
        label=_("In"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        input_formats=["%Y-%m-%dT%H:%M"],
    )  # fmt: skip
    left_at = forms.DateTimeField(
        label=_("Out"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        input_formats=["%Y-%m-%dT%H:%M"],
    )  # fmt: skip
