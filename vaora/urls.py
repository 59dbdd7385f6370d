from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView
from django.views.i18n import set_language

from vaora.api import api
from vaora.venues.public_views import published_keys

admin.site.site_header = "vaora"
admin.site.site_title = "vaora"

urlpatterns = [
    path("", include("vaora.core.urls")),
    path("", include("vaora.venues.urls")),
    path("", include("vaora.people.urls")),
    path("", include("vaora.visits.urls")),
    path("", include("vaora.paper.urls")),
    path("", include("vaora.tracing.urls")),
    path("", include("vaora.oversight.urls")),
    path(".well-known/vaora-keys.json", published_keys, name="published_keys"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("api/v1/", api.urls),
    # The admin signs in through vaora's own sign-in (password, then the second factor).
    path("admin/login/", RedirectView.as_view(pattern_name="core:login", query_string=True)),
    path("admin/", admin.site.urls),
]

handler404 = "vaora.core.errorpages.not_found"
handler500 = "vaora.core.errorpages.server_error"
handler403 = "vaora.core.errorpages.forbidden"
handler400 = "vaora.core.errorpages.bad_request"
