"""Import reports name the spreadsheet's columns as people wrote them, not our field names:
`{{ error.column|column_label }}` shows "Họ và tên" for `name`, "Điện thoại" for `phone`."""

from django import template
from django.utils.translation import gettext_lazy as _

register = template.Library()

LABELS = {
    "name": _("Name"), "phone": _("Phone"), "username": _("User name"),
    "email": _("E-mail"), "role": _("Role"), "cccd": "CCCD", "commune": _("Commune or ward"),
    "commune_code": _("Commune or ward"), "jurisdiction": _("Jurisdiction"),
    "organisation": _("Organisation"), "kind": _("Kind"), "registry_code": _("Tax code"),
    "time_in": _("Time in"), "time_out": _("Time out"), "date": _("Date"), "zone": _("Zone"),
    "address": _("Address"), "capacity": _("Capacity"), "birth_year": _("Birth year"),
    "fever": _("Fever"), "file": _("File"),
}  # fmt: skip


@register.filter
def column_label(field: str) -> str:
    if not field:
        return "—"
    return str(LABELS.get(field, field))


@register.filter
def get_item(mapping, key):
    """A dict's value in a template ({{ previews|get_item:batch.id }})."""
    return mapping.get(key) if mapping else None
