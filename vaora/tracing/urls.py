from django.urls import path

from vaora.tracing import public_views, settings_views, views

app_name = "tracing"

urlpatterns = [
    path("cases/", views.cases, name="cases"),
    path("cases/settings/", settings_views.tracing_settings, name="settings"),
    path("cases/settings/rules/<str:kind>/", settings_views.save_rule, name="save_rule"),
    path("cases/settings/notices/<str:key>/", settings_views.save_template, name="save_template"),
    path("cases/<id:case_id>/", views.case, name="case"),
    path("cases/<id:case_id>/trace/", views.trace, name="trace"),
    path("cases/<id:case_id>/close/", views.close, name="close"),
    path("cases/<id:case_id>/notices/", views.notices, name="notices"),
    path(
        "cases/<id:case_id>/notices/<id:batch_id>/<str:action>/",
        views.batch_action,
        name="batch_action",
    ),  # fmt: skip
    path(
        "cases/<id:case_id>/contacts/<id:contact_id>/state/",
        views.contact_state,
        name="contact_state",
    ),  # fmt: skip
    path(
        "cases/<id:case_id>/visits/<id:visit_id>/publish/",
        views.publish_visit,
        name="publish_visit",
    ),  # fmt: skip
    path("cases/<id:case_id>/contacts.<str:fmt>", views.export, name="export"),
    path(
        "cases/<id:case_id>/reveals/<id:request_id>/approve/",
        views.approve_reveal,
        name="approve_reveal",
    ),  # fmt: skip
    path("exposure-sites/", public_views.exposure_sites, name="exposure_sites"),
]
