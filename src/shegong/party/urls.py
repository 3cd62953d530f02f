from django.urls import path

from shegong.party import views

app_name = "party"
urlpatterns = [
    path("organisations/", views.organisation_list, name="organisations"),
    path("organisations/new/", views.organisation_create, name="organisation_create"),
    path("organisations/<int:pk>/", views.organisation_detail, name="organisation"),
    path("organisations/<int:pk>/edit/", views.organisation_edit, name="organisation_edit"),
    path("organisations/<int:pk>/dissolve/", views.organisation_dissolve, name="dissolve"),
    path("coverage/", views.coverage, name="coverage"),
    path("coverage/export/", views.coverage_export, name="coverage_export"),
]
