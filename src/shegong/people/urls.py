from django.urls import path

from shegong.core.workflow.views import action_urls
from shegong.people import views
from shegong.people.workflow import ADAPTATION

app_name = "people"
urlpatterns = [
    path("", views.resident_list, name="list"),
    path("new/", views.resident_create, name="create"),
    path("import/", views.resident_import, name="import"),
    path("export/", views.resident_export, name="export"),
    path("lookup/", views.resident_lookup, name="lookup"),
    path("statistics/", views.statistics, name="statistics"),
    path("visits/mine/", views.my_visits, name="my_visits"),
    path("visits/overdue/", views.overdue_rollup, name="overdue"),
    path("visits/cadence/", views.cadence, name="cadence"),
    path("categories/", views.category_list, name="categories"),
    path("categories/new/", views.category_create, name="category_create"),
    path("categories/<int:pk>/edit/", views.category_edit, name="category_edit"),
    path("visits/<int:pk>/", views.visit_detail, name="visit_detail"),
    path("visits/<int:pk>/photo/", views.visit_photo, name="visit_photo"),
    path("assistance/", views.assistance_rollup, name="assistance_rollup"),
    # each step of a home adaptation project (core.workflow); the old "next step" route stays
    *action_urls(ADAPTATION, prefix="assistance/", name="adaptation_transition"),
    path("assistance/<int:pk>/advance/", views.adaptation_advance, name="adaptation_advance"),
    path("<int:pk>/", views.resident_detail, name="detail"),
    path("<int:pk>/edit/", views.resident_edit, name="edit"),
    path("<int:pk>/reveal/", views.resident_reveal, name="reveal"),
    path("<int:pk>/assess/", views.resident_assess, name="assess"),
    path("<int:pk>/visit/", views.visit_create, name="visit"),
    path("<int:pk>/event/", views.plan_event, name="event"),
    path("<int:pk>/members/", views.member_add, name="member_add"),
    path("<int:pk>/assistance/", views.assistance_create, name="assistance"),
    path("<int:pk>/merge/", views.resident_merge, name="merge"),
]
