from django.urls import path

from shegong.ops import views

app_name = "ops"
urlpatterns: list = []
# At the root, where load balancers and Prometheus look for them.
root_urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("metrics", views.metrics_view, name="metrics"),
]
