"""The field app's page routes (/field/app/…), included by the app's urls.py."""

from django.urls import path

from shegong.field import app_views

app_urlpatterns = [
    path("app/", app_views.shell, name="app"),
    path("app/manifest.webmanifest", app_views.manifest, name="app-manifest"),
    path("app/sw.js", app_views.service_worker, name="app-sw"),
    path("app/session/", app_views.session, name="app-session"),
]
