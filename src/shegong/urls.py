"""Root URLs. Each Shegong app's `urls.py` is mounted at `/<app label>/` (or its `url_prefix`);
an app may also publish `root_urlpatterns` (public standards endpoints such as /open311/)."""

from importlib import import_module

from django.apps import apps
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog, set_language

from shegong.api import api
from shegong.core.access import public

handler404 = "shegong.core.api_schema.not_found"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/setlang/", public(set_language), name="set_language"),
    path("i18n/js/", public(JavaScriptCatalog.as_view()), name="javascript-catalog"),
    path("api/v1/", api.urls),
]

for config in apps.get_app_configs():
    if not config.name.startswith("shegong."):
        continue
    try:
        module = import_module(f"{config.name}.urls")
    except ModuleNotFoundError as exc:
        if exc.name != f"{config.name}.urls":
            raise
        continue
    prefix = getattr(module, "url_prefix", f"{config.label}/")
    urlpatterns.append(path(prefix, include(module)))
    urlpatterns.extend(getattr(module, "root_urlpatterns", []))
