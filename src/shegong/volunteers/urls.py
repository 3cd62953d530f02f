from django.urls import path

from shegong.core.workflow.views import action_urls
from shegong.volunteers import views
from shegong.volunteers.workflow import ACTIVITY, APPLICATION, RECORD, SIGNUP

app_name = "volunteers"
urlpatterns = [
    path("", views.volunteer_list, name="list"),
    path("new/", views.volunteer_create, name="create"),
    path("<int:pk>/", views.volunteer_detail, name="detail"),
    path("<int:pk>/reveal/", views.volunteer_reveal, name="reveal"),
    path("applications/", views.application_list, name="applications"),
    *action_urls(APPLICATION, prefix="applications/", name="application_transition"),
    path(
        "applications/<int:pk>/<str:action>/",
        views.application_decide,
        name="application_decide",
    ),
    path("import/<str:kind>/", views.import_view, name="import"),
    path("export/hours-by-<str:by>/", views.export_hours, name="export_hours"),
    path("teams/", views.team_list, name="teams"),
    path("teams/new/", views.team_create, name="team_create"),
    path("teams/<int:pk>/", views.team_detail, name="team"),
    path("teams/members/<int:pk>/<str:action>/", views.team_member_action, name="member_action"),
    path("activities/", views.activity_list, name="activities"),
    path("activities/new/", views.activity_create, name="activity_create"),
    path("activities/<int:pk>/", views.activity_detail, name="activity"),
    *action_urls(ACTIVITY, prefix="activities/", name="activity_transition"),
    path("activities/<int:pk>/assign/", views.activity_assign, name="assign"),
    path("activities/<int:pk>/<str:action>/", views.activity_action, name="activity_action"),
    path("shifts/<int:pk>/suggest/", views.shift_suggest, name="suggest"),
    *action_urls(SIGNUP, prefix="signups/", name="signup_transition"),
    path("signups/<int:pk>/<str:action>/", views.signup_action, name="signup_action"),
    path("records/", views.record_list, name="records"),
    path("records/<int:pk>/", views.record_detail, name="record"),
    *action_urls(RECORD, prefix="records/", name="record_transition"),
    path("records/<int:pk>/confirm/", views.record_confirm, name="record_confirm"),
    path(
        "records/<int:pk>/beneficiaries/",
        views.record_beneficiary_add,
        name="record_beneficiary_add",
    ),
    path(
        "records/<int:pk>/beneficiaries/<int:resident_id>/remove/",
        views.record_beneficiary_remove,
        name="record_beneficiary_remove",
    ),
    path("certificates/<int:pk>.pdf", views.certificate_pdf_staff, name="certificate_staff_pdf"),
    path("stats/", views.stats, name="stats"),
    path("me/", views.my_page, name="me"),
    path("me/signups/<int:pk>/withdraw/", views.my_withdraw, name="my_withdraw"),
    path("me/certificates/issue/<int:org_id>/", views.my_certificate, name="my_certificate"),
    path("me/certificates/<int:pk>.pdf", views.my_certificate_pdf, name="certificate_pdf"),
]
