"""The field app's own pages (外勤 App, /field/app/): the installable shell, its web app manifest,
its service worker and the small session check the app makes when it is online.

The shell is a document without data: it is precached by the service worker and opened offline,
so it is public like any static file; everything it shows comes from the phone's encrypted store
(filled from the route API, /api/v1/field/route, which checks role and jurisdiction) and every
write goes through /api/v1/field/sync. docs/decisions/field-0002-phone-storage.md
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache

from django.contrib.staticfiles import finders
from django.http import HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template.loader import get_template
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from shegong.core.access import login_only, public

# The app's own files, precached by the service worker with the shell (docs/decisions/field-0002).
APP_STATIC = (
    "vendor/tabler/css/tabler.min.css",
    "field/app.css",
    "field/store.js",
    "field/sync.js",
    "field/photo.js",
    "field/app.js",
    "field/icons/icon-192.png",
    "field/icons/icon-512.png",
    "field/icons/icon-maskable-512.png",
)
THEME_COLOUR = "#0a58ad"


@lru_cache(maxsize=1)
def _revision() -> str:
    """A digest of the shell's template and files: a new release changes it, so the service worker
    is updated and its precache refreshed (and only then)."""
    digest = hashlib.sha256()
    digest.update(open(get_template("field/app/shell.html").origin.name, "rb").read())
    for name in APP_STATIC:
        path = finders.find(name)
        if path:
            digest.update(open(path, "rb").read())
    return digest.hexdigest()[:16]


@public
@require_GET
def shell(request):
    """The app itself (one page): no data of anyone's, so it can be cached and opened offline."""
    return render(request, "field/app/shell.html", {"theme_colour": THEME_COLOUR})


@public
@require_GET
def manifest(request):
    """The web app manifest (what the phone installs: name, icons, start page, scope)."""
    start = reverse("field:app")
    icons = [
        {"src": static("field/icons/icon-192.png"), "sizes": "192x192", "type": "image/png"},
        {"src": static("field/icons/icon-512.png"), "sizes": "512x512", "type": "image/png"},
        {
            "src": static("field/icons/icon-maskable-512.png"),
            "sizes": "512x512",
            "type": "image/png",
            "purpose": "maskable",
        },
    ]
    body = {
        "id": start,
        "name": _("社工外勤"),
        "short_name": _("外勤"),
        "description": _("离线记录探访、现场发现和未见到的对象，回到有网络处自动同步。"),
        "lang": request.LANGUAGE_CODE,
        "start_url": start,
        "scope": start,
        "display": "standalone",
        "orientation": "portrait",
        "background_color": "#ffffff",
        "theme_color": THEME_COLOUR,
        "icons": icons,
    }
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False), content_type="application/manifest+json"
    )
    response["Cache-Control"] = "no-cache"
    return response


@public
@require_GET
def service_worker(request):
    """The service worker, served from the app's folder so that its scope is /field/app/."""
    shell_url = reverse("field:app")
    precache = [{"url": shell_url, "revision": _revision()}] + [
        {"url": static(name), "revision": _revision()} for name in APP_STATIC
    ]
    response = render(
        request,
        "field/app/sw.js",
        {
            "precache": json.dumps(precache),
            "workbox_sw": static("vendor/workbox/workbox-sw.js"),
            "workbox_prefix": static("vendor/workbox/").rstrip("/"),
            "store_js": static("field/store.js"),
            "sync_js": static("field/sync.js"),
            "shell_url": shell_url,
        },
        content_type="text/javascript; charset=utf-8",
    )
    response["Cache-Control"] = "no-cache"
    response["Service-Worker-Allowed"] = shell_url
    return response


@never_cache
@login_only
@require_GET
def session(request):
    """Who is signed in (the app wipes a phone's store left by another account) and the CSRF token
    its API calls send; never cached, never read offline."""
    user = request.user
    membership = getattr(user, "active_membership", None)
    return JsonResponse(
        {
            "user_id": user.pk,
            "name": getattr(user, "full_name", "") or user.get_username(),
            "organisation": str(membership.organisation) if membership else "",
            "csrf_token": get_token(request),
        }
    )
