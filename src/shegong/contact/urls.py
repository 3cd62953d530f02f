from django.urls import path

from shegong.contact import views
from shegong.contact.workflow import ITEM, MEETING
from shegong.core.workflow.views import action_urls

app_name = "contact"

urlpatterns = [
    path("", views.meeting_list, name="list"),
    path("calendar/", views.meeting_calendar, name="calendar"),
    path("meetings/new/", views.meeting_plan, name="plan"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting"),
    path("meetings/<int:pk>/invite/", views.invitation_add, name="invite"),
    path("meetings/<int:pk>/attendance/", views.attendance_record, name="attendance"),
    path("meetings/<int:pk>/items/", views.item_record, name="item_record"),
    *action_urls(MEETING, prefix="meetings/", name="meeting_transition"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment"),
    path("items/", views.item_list, name="items"),
    path("items/export/", views.item_export, name="export"),
    path("items/<int:pk>/", views.item_detail, name="item"),
    path("items/<int:pk>/answer/", views.item_answer_view, name="answer"),
    *action_urls(ITEM, prefix="items/", name="item_transition"),
]
