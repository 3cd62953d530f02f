from django.urls import include, path

from shegong.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("sites/", views.site_list, name="sites"),
    path("sites/<int:pk>/", views.site_detail, name="site"),
    path("activities/", views.activity_list, name="activities"),
    path("activities/<int:pk>/", views.activity_detail, name="activity"),
    path("shifts/<int:pk>/signup/", views.shift_signup, name="shift_signup"),
    path("stats/", views.stats, name="stats"),
    path("stats.json", views.stats_json, name="stats_json"),
    path("verify/", views.verify, name="verify"),
    path("register/", views.register, name="register"),
    path("register/submitted/", views.register_submitted, name="register_submitted"),
    path("brands/", views.brand_list, name="brands"),
    path("brands/<int:pk>/", views.brand_detail, name="brand"),
    path("practices/", views.practice_list, name="practices"),
    path("practices/<int:pk>/", views.practice_detail, name="practice"),
    path("answers/", views.answers, name="answers"),
]

hsds_patterns = (
    [
        path("", views.hsds_root, name="root"),
        path("openapi.json", views.hsds_openapi, name="openapi"),
        path("services", views.hsds_services, name="services"),
        path("services/<str:id>", views.hsds_service, name="service"),
        path("organizations", views.hsds_organizations, name="organizations"),
        path("organizations/<str:id>", views.hsds_organization, name="organization"),
        path("locations", views.hsds_locations, name="locations"),
        path("locations/<str:id>", views.hsds_location, name="location"),
        path("taxonomies", views.hsds_taxonomies, name="taxonomies"),
        path("taxonomies/<str:id>", views.hsds_taxonomy, name="taxonomy"),
        path("taxonomy_terms", views.hsds_taxonomy_terms, name="taxonomy_terms"),
        path("taxonomy_terms/<str:id>", views.hsds_taxonomy_term, name="taxonomy_term"),
    ],
    "hsds",
)

root_urlpatterns = [path("hsds/", include(hsds_patterns))]
