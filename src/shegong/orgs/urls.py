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
    path("<int:pk>/duties/", views.duty_list_versions, name="duties"),
    path("<int:pk>/duties/edit/", views.duty_list_edit, name="duties_edit"),
    path("<int:pk>/duties/<int:list_pk>/", views.duty_list_detail, name="duty_list"),
    path("duties/search/", views.duty_search, name="duty_search"),
    path("standards/", views.staffing_standard_list, name="standards"),
    path("standards/<int:pk>/", views.staffing_standard_detail, name="standard"),
]
