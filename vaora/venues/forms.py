from django import forms
from django.utils.translation import gettext_lazy as _

from vaora.core.forms import VietnameseChoiceField
from vaora.core.models import Place
from vaora.venues.models import Venue, Zone
from vaora.venues.posters import FORMATS, SIZES

MAX_IMPORT_BYTES = 5 * 1024 * 1024


class VenueForm(forms.ModelForm):
    class Meta:
        model = Venue
        fields = [
            "name", "kind", "address", "commune", "capacity", "default_stay_minutes",
            "latitude", "longitude", "plate_number", "route", "operator_name",
        ]  # fmt: skip
        field_classes = {"commune": VietnameseChoiceField}
        labels = {
            "name": _("Name"), "kind": _("Kind"), "address": _("Address"),
            "commune": _("Commune or ward"), "capacity": _("Capacity"),
            "default_stay_minutes": _("Automatic check-out after (minutes)"),
            "latitude": _("Latitude"), "longitude": _("Longitude"),
            "plate_number": _("Plate number"), "route": _("Route"),
            "operator_name": _("Operator"),
        }  # fmt: skip
        help_texts = {
            "default_stay_minutes": _("Leave empty for the usual stay of this kind of venue."),
            "plate_number": _("Vehicles only, e.g. 37B-123.45."),
        }

    def __init__(self, *args, province_code: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = Place.objects.filter(
            scheme=Place.Scheme.CURRENT, level=Place.Level.COMMUNE, province_code=province_code
        ).order_by("name")
        self.fields["default_stay_minutes"].required = False


class ZoneForm(forms.ModelForm):
    class Meta:
        model = Zone
        fields = ["name", "kind"]
        labels = {"name": _("Name"), "kind": _("Kind")}


class RevokeForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)


class PosterForm(forms.Form):
    format = forms.ChoiceField(choices=[(f, f.upper()) for f in FORMATS], initial="pdf",
                               label=_("File format"))  # fmt: skip
    size = forms.ChoiceField(choices=[(s, s.upper()) for s in SIZES], initial="a4",
                             label=_("Paper size"))  # fmt: skip


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Spreadsheet (.csv or .xlsx)"))
