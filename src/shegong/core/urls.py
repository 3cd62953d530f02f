from django.urls import path

from shegong.core import views

app_name = "core"
url_prefix = ""
urlpatterns = [
    path("", views.home, name="home"),
]
