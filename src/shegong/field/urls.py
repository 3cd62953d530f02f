from django.urls import path

from shegong.field import views
from shegong.field.app_urls import app_urlpatterns

app_name = "field"
urlpatterns = [
    path("", views.status, name="status"),
    path("devices/", views.devices, name="devices"),
    path("devices/<uuid:pk>/revoke/", views.device_revoke, name="device_revoke"),
    path("conflicts/", views.conflicts, name="conflicts"),
    path("conflicts/<int:pk>/resolve/", views.conflict_resolve, name="conflict_resolve"),
    # The installable app's own pages (the PWA): shell, manifest, service worker, session check.
    *app_urlpatterns,
]
