from django.urls import path

from shegong.core.workflow.views import action_urls
from shegong.emergency import views
from shegong.emergency.workflow import EVENT

app_name = "emergency"

urlpatterns = [
    path("", views.event_list, name="list"),
    path("new/", views.event_declare, name="declare"),
    path("mine/", views.my_tasks, name="mine"),
    path("<int:pk>/", views.board, name="board"),
    path("<int:pk>/export/", views.board_export, name="export"),
    path("tasks/<int:pk>/", views.task_detail, name="task"),
    path("tasks/<int:pk>/record/", views.task_record, name="record"),
    *action_urls(EVENT, prefix="", name="transition"),
]
