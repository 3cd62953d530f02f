from django.urls import path

from shegong.indicators import views

app_name = "indicators"
urlpatterns = [
    path("", views.indicator_list, name="list"),
    path("new/", views.indicator_create, name="create"),
    path("pivot/", views.indicator_pivot, name="pivot"),
    path("pivot/export/", views.indicator_pivot_export, name="pivot_export"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/pin/", views.dashboard_pin, name="dashboard_pin"),
    path("reports/", views.report_list, name="reports"),
    path(
        "reports/<int:pk>/<str:format>/",
        views.report_download,
        name="report_download",
    ),
    path("subscriptions/", views.subscription_list, name="subscriptions"),
    path(
        "subscriptions/<int:pk>/cancel/",
        views.subscription_cancel,
        name="subscription_cancel",
    ),
    path("<slug:code>/", views.indicator_detail, name="detail"),
    path("<slug:code>/refresh/", views.indicator_refresh, name="refresh"),
]
