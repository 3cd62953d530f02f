from django.urls import path

from shegong.privacy import views

app_name = "privacy"
urlpatterns = [
    path("residents/<int:pk>/consents/new/", views.consent_create, name="consent_create"),
    path("consents/<int:pk>/withdraw/", views.consent_withdraw, name="consent_withdraw"),
    path("residents/<int:pk>/log/", views.processing_log, name="processing_log"),
    path(
        "residents/<int:pk>/log/export/", views.processing_log_export, name="processing_log_export"
    ),
    path("retention/", views.retention_policy, name="retention"),
]
