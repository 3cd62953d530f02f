from shegong.field.app_urls import app_urlpatterns

app_name = "field"

urlpatterns = [*app_urlpatterns]
