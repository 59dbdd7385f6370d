from django.urls import path

from vaora.visits import views

app_name = "visits"

urlpatterns = [
    path("v/<str:token>", views.scan, name="scan"),
    path("V/<str:token>", views.scan),  # QR codes carry the upper-case form
    path("me/visits/", views.current, name="current"),
    path("me/visits/<int:visit_id>/checkout/", views.checkout, name="checkout"),
]
