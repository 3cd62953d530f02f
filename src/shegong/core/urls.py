from django.urls import path

from shegong.core import elder, views

app_name = "core"
url_prefix = ""
urlpatterns = [
    path("", views.home, name="home"),
    path("elder-mode/", elder.switch, name="elder_mode"),
]
