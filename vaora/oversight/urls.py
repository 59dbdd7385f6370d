from django.urls import path

from vaora.oversight import account_views, helper_views, sector_views, views

app_name = "oversight"

urlpatterns = [
    path("oversight/", views.overview, name="overview"),
    path("oversight/venues/", views.venues, name="venues"),
    path("oversight/required/", views.required, name="required"),
    path("oversight/reminders/", views.reminder_list, name="reminders"),
    path("oversight/reminders/send/", views.send_reminders, name="send_reminders"),
    path("oversight/reminders/templates/<str:key>/", views.save_template, name="save_template"),
    path("oversight/stats/", views.dashboard, name="dashboard"),
    path("oversight/accounts/", account_views.account_list, name="accounts"),
    path("oversight/ranking/", sector_views.weekly_ranking, name="ranking"),
    path("oversight/groups/", sector_views.group_list, name="groups"),
    path("oversight/groups/<id:group_id>/", sector_views.group_detail, name="group"),
    path("oversight/groups/<id:group_id>/add/", sector_views.add_members, name="group_add"),
    path(
        "oversight/groups/<id:group_id>/members/<id:org_id>/remove/",
        sector_views.remove_member,
        name="group_remove",
    ),
    path(
        "oversight/approvals/<id:approval_id>/approve/",
        account_views.approve_duty,
        name="approve_duty",
    ),
    path(
        "oversight/accounts/<id:account_id>/<str:action>/",
        account_views.account_action,
        name="account_action",
    ),  # fmt: skip
    path("helpers/", helper_views.organisations, name="helper"),
    path("helpers/people/", helper_views.sign_up_person, name="sign_up_person"),
    path("helpers/<id:org_id>/hand-over/", helper_views.hand_over, name="hand_over"),
    path("stats/", views.public_stats, name="public_stats"),
    # The one-time link a provisioned account sets its password with.
    path("activate/<str:token>/", account_views.activate, name="activate"),
]
