from django.urls import path

from shegong.orgs import views

app_name = "orgs"
urlpatterns = [
    path("", views.organisation_list, name="list"),
    path("new/", views.organisation_create, name="create"),
    path("import/", views.organisation_import, name="import"),
    path("export/", views.organisation_export, name="export"),
    path("<int:pk>/", views.organisation_detail, name="detail"),
    path("<int:pk>/edit/", views.organisation_edit, name="edit"),
    path("standards/", views.staffing_standard_list, name="standards"),
    path("standards/<int:pk>/", views.staffing_standard_detail, name="standard"),
]
