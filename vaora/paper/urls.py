from django.urls import path

from vaora.paper import views

app_name = "paper"

urlpatterns = [
    path("venues/<id:venue_id>/paper/", views.uploads, name="uploads"),
    path("venues/<id:venue_id>/paper/register.pdf", views.blank_register, name="blank_register"),
    path("venues/<id:venue_id>/paper/template.<str:fmt>", views.template, name="template"),
    path("venues/<id:venue_id>/paper/<id:upload_id>/", views.upload, name="upload"),
    path("venues/<id:venue_id>/paper/<id:upload_id>/cancel", views.cancel, name="cancel"),
    path(
        "venues/<id:venue_id>/paper/<id:upload_id>/rejected.csv",
        views.rejected_rows,
        name="rejected",
    ),  # fmt: skip
]
