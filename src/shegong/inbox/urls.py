from django.urls import path

from shegong.inbox import views

app_name = "inbox"

urlpatterns = [
    path("", views.notification_list, name="list"),
    path("badge/", views.badge, name="badge"),
    path("<int:pk>/", views.notification_open, name="open"),
    path("read-all/", views.read_all, name="read_all"),
    path("channels/", views.channel_preferences, name="channels"),
    path("deliveries/", views.own_deliveries, name="deliveries"),
    path("deliveries/log/", views.delivery_log, name="delivery_log"),
]
