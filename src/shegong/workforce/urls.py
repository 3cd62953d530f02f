from django.urls import path

from shegong.core.workflow.views import action_urls
from shegong.workforce import views
from shegong.workforce.workflow import EXTERNAL

app_name = "workforce"
urlpatterns = [
    path("", views.worker_list, name="list"),
    path("new/", views.worker_create, name="create"),
    path("import/", views.import_view, name="import"),
    path("export.xlsx", views.worker_export, name="export"),
    path("<int:pk>/", views.worker_detail, name="detail"),
    path("<int:pk>/reveal/", views.worker_reveal, name="reveal"),
    path("<int:pk>/certificates/", views.certificate_add, name="certificate_add"),
    path("<int:pk>/registrations/", views.registration_add, name="registration_add"),
    path("<int:pk>/external/", views.external_add, name="external_add"),
    path("registrations/<int:pk>/renew/", views.registration_renew, name="registration_renew"),
    path("registrations/at-risk/", views.at_risk, name="at_risk"),
    *action_urls(EXTERNAL, prefix="external/", name="external_transition"),
    path("courses/", views.course_list, name="courses"),
    path("courses/new/", views.course_create, name="course_create"),
    path("courses/<int:pk>/", views.course_detail, name="course"),
    path("courses/<int:pk>/enrol/", views.course_enrol, name="course_enrol"),
    path("enrolments/<int:pk>/attend/", views.enrolment_attend, name="attend"),
    path("mentoring/", views.mentoring, name="mentoring"),
    path("mentoring/new/", views.pair_create, name="pair_create"),
    path("mentoring/<int:pk>/", views.pair_detail, name="pair"),
    path("mentoring/<int:pk>/sessions/", views.session_add, name="session_add"),
    path("mentoring/<int:pk>/close/", views.pair_close, name="pair_close"),
]
