from django.urls import path

from shegong.indicators import views

app_name = "indicators"
urlpatterns = [
    path("", views.indicator_list, name="list"),
    path("new/", views.indicator_create, name="create"),
    path("<slug:code>/", views.indicator_detail, name="detail"),
    path("<slug:code>/refresh/", views.indicator_refresh, name="refresh"),
]
