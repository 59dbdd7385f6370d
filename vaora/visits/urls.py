from django.urls import path

from vaora.visits import pwa_views, staff_views, views

app_name = "visits"

urlpatterns = [
    path("v/<str:token>", views.scan, name="scan"),
    path("V/<str:token>", views.scan),  # QR codes carry the upper-case form
    path("me/visits/", views.current, name="current"),
    path("me/visits/<id:visit_id>/checkout/", views.checkout, name="checkout"),
    path("me/visits/<id:visit_id>/correct/", views.correct, name="correct"),
    path("sw.js", pwa_views.service_worker, name="service_worker"),
    path("manifest.webmanifest", pwa_views.manifest, name="manifest"),
    path("offline/checkin/", pwa_views.offline_checkin, name="offline_checkin"),
    path("scan/", pwa_views.camera_scan, name="camera_scan"),
    path("self-check/", pwa_views.self_check, name="self_check"),
    # Venue staff
    path("venues/<id:venue_id>/gate/", staff_views.gate, name="gate"),
    path("venues/<id:venue_id>/assisted/", staff_views.assisted, name="assisted"),
    path(
        "venues/<id:venue_id>/assisted/<id:visit_id>/<str:direction>/",
        staff_views.assisted_again,
        name="assisted_again",
    ),  # fmt: skip
    path("venues/<id:venue_id>/occupancy/", staff_views.occupancy, name="occupancy"),
    path(
        "venues/<id:venue_id>/entered-by-staff.<str:fmt>",
        staff_views.hand_entered_export,
        name="hand_entered_export",
    ),  # fmt: skip
]
