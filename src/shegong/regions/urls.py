from django.urls import path

from shegong.regions import views

app_name = "regions"
urlpatterns = [
    path("", views.region_index, name="index"),
    path("suggest/", views.region_suggest, name="suggest"),
    path("suggest/public/", views.region_suggest_public, name="suggest_public"),
    path("search/", views.region_search_page, name="search"),
    path("<str:code>/", views.region_detail, name="detail"),
]
