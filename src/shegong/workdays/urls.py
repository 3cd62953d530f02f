from django.urls import path

from shegong.workdays import views

app_name = "workdays"

urlpatterns = [
    path("", views.schedule_list, name="list"),
    path("load/", views.schedule_load, name="load"),
    path("<int:year>/", views.schedule_detail, name="detail"),
]
