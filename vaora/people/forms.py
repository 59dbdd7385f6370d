from django import forms
from django.utils.translation import gettext_lazy as _

from vaora.core.models import Place


class PhoneForm(forms.Form):
    phone = forms.CharField(
        label=_("Phone number"), max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel",
                                      "placeholder": "0912 345 678"}),
    )  # fmt: skip


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code from the SMS"), max_length=10,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code",
                                      "pattern": "[0-9 ]*"}),
    )  # fmt: skip


def province_choices():
    provinces = Place.objects.filter(scheme="2025", level="province").order_by("name")
    return [("", "—")] + [(p.code, p.name) for p in provinces]


class ProfileForm(forms.Form):
    """Name, birth year, optional CCCD, home commune (province first, then its communes)."""

    name = forms.CharField(label=_("Full name"), max_length=120)
    birth_year = forms.IntegerField(label=_("Birth year"), min_value=1900, max_value=2100,
                                    required=False)  # fmt: skip
    cccd = forms.CharField(label=_("CCCD number (optional)"), max_length=20, required=False)
    province = forms.ChoiceField(label=_("Province"), required=False)
    home_commune = forms.ModelChoiceField(
        label=_("Commune or ward"), queryset=Place.objects.none(), required=False
    )

    def __init__(self, *args, province_code: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["province"].choices = province_choices()
        if province_code:
            self.fields["home_commune"].queryset = Place.objects.filter(
                scheme="2025", level="commune", province_code=province_code
            ).order_by("name")
