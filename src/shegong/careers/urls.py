from django.urls import path

from shegong.careers import views
from shegong.careers.workflow import APPLICATION
from shegong.core.workflow.views import action_urls

app_name = "careers"
urlpatterns = [
    path("rounds/", views.round_list, name="rounds"),
    path("rounds/new/", views.round_create, name="round_create"),
    path("rounds/<int:pk>/", views.round_detail, name="round"),
    path("rounds/<int:pk>/apply/", views.application_create, name="apply"),
    path("applications/<int:pk>/", views.application_detail, name="application"),
    *action_urls(APPLICATION, prefix="applications/", name="application_action"),
    path("appraisals/", views.appraisal_list, name="appraisals"),
    path("appraisals/<int:pk>/", views.appraisal_detail, name="appraisal"),
    path("schemes/<int:pk>/run/", views.scheme_run, name="scheme_run"),
    path("conduct/", views.conduct_list, name="conduct"),
    path("workers/<int:pk>/", views.worker_detail, name="worker"),
    path("staffing/", views.staffing, name="staffing"),
    path("staffing/export/", views.staffing_export, name="staffing_export"),
    path("pay/", views.pay_guidance, name="pay"),
]
