from django.urls import path, register_converter

from vaora.venues import public_views, views

app_name = "venues"


class CodeAction:
    """Only the two code actions: the rest of /venues/<id>/… belongs to other apps."""

    regex = "revoke|reissue"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(CodeAction, "code_action")

urlpatterns = [
    # Public: typing the code under a poster (the page a poster opens is visits:scan).
    path("c/", public_views.enter_code, name="enter_code"),
    # Organisation managers, staff and officials (scoped).
    path("org/", views.organisation_list, name="organisation_list"),
    path("org/<id:org_id>/", views.organisation_detail, name="organisation_detail"),
    path("org/<id:org_id>/venues/new/", views.venue_create, name="venue_create"),
    path("org/<id:org_id>/import/", views.venue_import, name="venue_import"),
    path(
        "org/<id:org_id>/import/template.<str:fmt>",
        views.venue_import_template,
        name="venue_import_template",
    ),  # fmt: skip
    path("org/<id:org_id>/posters.pdf", views.organisation_posters, name="organisation_posters"),
    path("org/<id:org_id>/venues.<str:fmt>", views.venue_export, name="venue_export"),
    path("venues/<id:venue_id>/", views.venue_detail, name="venue_detail"),
    path("venues/<id:venue_id>/edit/", views.venue_edit, name="venue_edit"),
    path(
        "venues/<id:venue_id>/<code_action:action>/", views.venue_code_action, name="venue_action"
    ),
    path("venues/<id:venue_id>/poster", views.venue_poster, name="venue_poster"),
    path("venues/<id:venue_id>/zones/new/", views.zone_create, name="zone_create"),
    path("zones/<id:zone_id>/edit/", views.zone_edit, name="zone_edit"),
    path("zones/<id:zone_id>/<code_action:action>/", views.zone_code_action, name="zone_action"),
    path("zones/<id:zone_id>/poster", views.zone_poster, name="zone_poster"),
]
