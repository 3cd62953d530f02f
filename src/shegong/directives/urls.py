from django.urls import path

from shegong.core.workflow.views import action_urls
from shegong.directives import views
from shegong.directives.workflow import TARGET

app_name = "directives"

urlpatterns = [
    path("", views.directive_list, name="list"),
    path("tasks/", views.task_list, name="tasks"),
    path("new/", views.directive_issue, name="issue"),
    path("<int:pk>/", views.directive_detail, name="detail"),
    path("<int:pk>/rollup/", views.directive_rollup, name="rollup"),
    path("<int:pk>/remind/", views.directive_remind, name="remind"),
    path("<int:pk>/close/", views.directive_close, name="close"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment"),
    path("targets/<int:pk>/", views.target_detail, name="target"),
    *action_urls(TARGET, prefix="targets/", name="target_transition"),
    path("inspections/", views.inspection_list, name="inspections"),
    path("inspections/new/", views.inspection_create, name="inspection_create"),
    path("inspections/<int:pk>/", views.inspection_detail, name="inspection"),
    path("inspections/<int:pk>/items/", views.rectification_add, name="rectification_add"),
]
