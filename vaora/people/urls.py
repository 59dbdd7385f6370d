from django.urls import path

from vaora.people import citizen_views, views

app_name = "people"

urlpatterns = [
    path("signin/", views.signin_phone, name="signin"),
    path("signin/code/", views.signin_code, name="signin_code"),
    path("me/", views.me, name="me"),
    path("me/profile/", views.profile, name="profile"),
    path("me/consent/", views.consent, name="consent"),
    path("me/family/", citizen_views.family, name="family"),
    path(
        "me/family/<id:person_id>/remove/", citizen_views.remove_dependant, name="remove_dependant"
    ),
    path("me/data/", citizen_views.my_data, name="my_data"),
    path("me/data/download.<str:fmt>", citizen_views.my_data_download, name="my_data_download"),
    path("me/delete/", citizen_views.delete_account, name="delete_account"),
    path("signout/everywhere/", views.sign_out_everywhere, name="sign_out_everywhere"),
    path("me/qr/", citizen_views.my_qr, name="qr"),
    path("me/qr/card.pdf", citizen_views.qr_card, name="qr_card"),
    path("me/health/", citizen_views.health, name="health"),
    path("me/health/<id:declaration_id>/", citizen_views.health_result, name="health_result"),
    path("me/travel/", citizen_views.travel, name="travel"),
    path("me/travel/<id:declaration_id>/", citizen_views.travel_detail, name="travel_detail"),
    path("P/<str:token>", citizen_views.person_code_page, name="person_code"),
    path("p/<str:token>", citizen_views.person_code_page),
    path("T/<str:token>", citizen_views.travel_code_page, name="travel_code"),
    path("t/<str:token>", citizen_views.travel_code_page),
]
