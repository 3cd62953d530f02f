from django.urls import path

from shegong.core.workflow.views import action_urls
from shegong.suggestions import views
from shegong.suggestions.workflow import SUGGESTION

app_name = "suggestions"

urlpatterns = [
    path("", views.group_list, name="list"),
    path("analysis/", views.analysis, name="analysis"),
    path("export/", views.export, name="export"),
    path("<int:pk>/", views.detail, name="detail"),
    *action_urls(SUGGESTION, name="transition"),
    path("public/", views.public_answers, name="public_answers"),
    path("public/new/", views.public_submit, name="public_submit"),
]
