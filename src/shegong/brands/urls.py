from django.urls import path

from shegong.brands import views
from shegong.brands.workflow import RECOGNITION
from shegong.core.workflow.views import action_urls

app_name = "brands"
urlpatterns = [
    path("", views.brand_list, name="list"),
    path("export/", views.brand_export, name="export"),
    path("new/", views.brand_create, name="create"),
    path("<int:pk>/", views.brand_detail, name="detail"),
    path("<int:pk>/edit/", views.brand_edit, name="edit"),
    path("<int:pk>/activities/", views.link_activity, name="link_activity"),
    path("<int:pk>/targets/", views.target_set, name="target"),
    path("<int:pk>/evaluate/", views.evaluate, name="evaluate"),
    path("<int:pk>/recognitions/", views.recognition_apply, name="apply"),
    *action_urls(RECOGNITION, prefix="recognitions/", name="recognition_transition"),
]
