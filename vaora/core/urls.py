from django.contrib.auth import views as auth_views
from django.urls import path

from vaora.core import dev_outbox, jobs_views, metrics, signin, views

app_name = "core"

urlpatterns = [
    path("", views.landing, name="landing"),
    path("home/", views.home, name="home"),
    path("login/", signin.PasswordStep.as_view(), name="login"),
    path("login/code/", signin.second_factor, name="login_second_factor"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("metrics", metrics.metrics_view, name="metrics"),
    path("dev/outbox/", dev_outbox.outbox, name="dev_outbox"),
    path("ops/jobs/", jobs_views.queue, name="jobs"),
    path("ops/jobs/<uuid:job_id>/retry", jobs_views.retry, name="retry_job"),
]
