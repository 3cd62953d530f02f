from django.urls import path

from shegong.core.workflow.views import action_urls
from shegong.reporting import views
from shegong.reporting.workflow import SUBMISSION

app_name = "reporting"
urlpatterns = [
    path("", views.index, name="index"),
    path("forms/new/", views.form_create, name="form_create"),
    path("forms/<int:pk>/", views.form_detail, name="form"),
    path("forms/<int:pk>/settings/", views.form_settings, name="form_settings"),
    path("forms/<int:pk>/activate/", views.form_activate, name="form_activate"),
    path("forms/<int:pk>/elements/", views.element_add, name="element_add"),
    path(
        "forms/<int:pk>/elements/<int:element_pk>/remove/",
        views.element_remove,
        name="element_remove",
    ),
    path("forms/<int:pk>/rules/", views.rule_add, name="rule_add"),
    path("forms/<int:pk>/rules/<int:rule_pk>/remove/", views.rule_remove, name="rule_remove"),
    path("forms/<int:pk>/fill/", views.fill_open, name="fill_open"),
    path("forms/<int:pk>/aggregate/", views.aggregate, name="aggregate"),
    path("forms/<int:pk>/completeness/", views.completeness, name="completeness"),
    path("forms/<int:pk>/export/", views.export, name="export"),
    path("submissions/<int:pk>/", views.submission_detail, name="submission"),
    path("submissions/<int:pk>/import/", views.import_values, name="import"),
    *action_urls(SUBMISSION, prefix="submissions/", name="submission_transition"),
]
