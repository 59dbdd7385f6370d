from django.urls import path

from vaora.people import views

app_name = "people"

urlpatterns = [
    path("signin/", views.signin_phone, name="signin"),
    path("signin/code/", views.signin_code, name="signin_code"),
    path("me/", views.me, name="me"),
    path("me/profile/", views.profile, name="profile"),
    path("me/consent/", views.consent, name="consent"),
]
