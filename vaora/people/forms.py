from django import forms
from django.utils.translation import gettext_lazy as _

from vaora.core.errors import VaoraError
from vaora.core.forms import VietnameseChoiceField
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
    home_commune = VietnameseChoiceField(
        label=_("Commune or ward"), queryset=Place.objects.none(), required=False
    )
    auto_checkin = forms.BooleanField(
        label=_("Check in as soon as I scan a poster (no extra tap)"), required=False
    )

    def __init__(self, *args, province_code: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["province"].choices = province_choices()
        if province_code:
            self.fields["home_commune"].queryset = Place.objects.filter(
                scheme="2025", level="commune", province_code=province_code
            ).order_by("name")


class DependantForm(forms.Form):
    name = forms.CharField(label=_("Full name"), max_length=120)
    birth_year = forms.IntegerField(label=_("Birth year"), min_value=1900, max_value=2100)


class HealthForm(forms.Form):
    from vaora.people.declaration_models import Symptom

    symptoms = forms.MultipleChoiceField(
        label=_("Symptoms in the last 14 days"), choices=Symptom.choices, required=False,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    other_symptom = forms.CharField(label=_("Other symptom"), max_length=200, required=False)
    contact_with_case = forms.BooleanField(
        label=_("Contact with a confirmed case in the last 14 days"), required=False
    )
    in_outbreak_area = forms.BooleanField(label=_("Was in an outbreak area"), required=False)
    vaccine_doses = forms.IntegerField(label=_("Vaccine doses"), min_value=0, max_value=10)


class CommuneField(forms.CharField):
    """A commune or ward in any province, typed by name (with or without diacritics, the
    province after a comma when the name is shared) or by its code; the page suggests names as
    one types (people/communes.js). Resolved by core.commune_search.find."""

    def __init__(self, label):
        attrs = {"data-commune-search": "1", "autocomplete": "off", "spellcheck": "false",
                 "placeholder": _("e.g. Trường Vinh, Nghệ An")}  # fmt: skip
        super().__init__(label=label, max_length=120, widget=forms.TextInput(attrs=attrs),
                         help_text=_("Type the name (accents optional) and pick from the list; "
                                     "add the province after a comma if asked."))  # fmt: skip

    def clean(self, value):
        from vaora.core import commune_search

        text = super().clean(value)
        try:
            return commune_search.find(text)
        except VaoraError as error:
            raise forms.ValidationError(f"{error.message_vi} / {error.message_en}") from None


def commune_field(label):
    return CommuneField(label)


class TravelForm(forms.Form):
    from vaora.people.declaration_models import Means

    from_commune = commune_field(_("From (commune or ward)"))
    to_commune = commune_field(_("To (commune or ward)"))
    departure_date = forms.DateField(label=_("Departure date"),
                                     widget=forms.DateInput(attrs={"type": "date"}))  # fmt: skip
    return_date = forms.DateField(label=_("Return date"), required=False,
                                  widget=forms.DateInput(attrs={"type": "date"}))  # fmt: skip
    means = forms.ChoiceField(label=_("Means of travel"), choices=Means.choices)
    transport_ref = forms.CharField(label=_("Plate, train or flight number"), max_length=20,
                                    required=False)  # fmt: skip
    purpose = forms.CharField(label=_("Purpose"), max_length=200, required=False)
