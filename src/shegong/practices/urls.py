from django.urls import path

from shegong.core.workflow.views import action_urls
from shegong.practices import views
from shegong.practices.workflow import PRACTICE

app_name = "practices"
urlpatterns = [
    path("", views.practice_list, name="list"),
    path("export/", views.practice_export, name="export"),
    path("library/", views.library, name="library"),
    path("new/", views.practice_create, name="create"),
    path("<int:pk>/", views.practice_detail, name="detail"),
    path("<int:pk>/edit/", views.practice_edit, name="edit"),
    path("<int:pk>/documents/", views.document_add, name="document_add"),
    path("<int:pk>/adoptions/", views.adoption_add, name="adopt"),
    path("documents/<int:pk>/", views.document_download, name="document"),
    *action_urls(PRACTICE, prefix="", name="transition"),
]
