"""Issue 19, Done-when 5, in real Chromium: the field app (社工外勤, /field/app/) passes an
installability check the way Lighthouse does it — a manifest with a name, a short name, a start
page, standalone display and 192 and 512 px icons (and a maskable one) that really have those
sizes, a service worker registered for the app's scope and controlling the page, the page opening
with the network cut after its first load — and it fits a 360-px phone screen without horizontal
scrolling. The service worker's Workbox comes from the platform's own static files."""

from __future__ import annotations

import io
from urllib.parse import urljoin, urlparse

import pytest
from PIL import Image

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"viewport": {"width": 360, "height": 740}, "locale": "zh-CN", "is_mobile": True,
         "has_touch": True, "device_scale_factor": 2}  # fmt: skip
NO_SIDEWAYS = "() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(**PHONE)
    yield context
    context.close()


def test_installable_and_offline_after_first_load(phone, live_server):
    base = live_server.url
    page = phone.new_page()
    requested = []
    phone.on("request", lambda request: requested.append(request.url))
    page.goto(f"{base}/field/app/")

    # The manifest: linked from the page, with what an install needs.
    href = page.locator("link[rel=manifest]").get_attribute("href")
    response = page.request.get(urljoin(page.url, href))
    assert response.ok
    assert response.headers["content-type"].startswith("application/manifest+json")
    manifest = response.json()
    assert manifest["name"] == "社工外勤"
    assert manifest["short_name"]
    assert manifest["display"] == "standalone"
    assert manifest["start_url"] == "/field/app/"
    assert manifest["scope"] == "/field/app/"
    assert manifest["theme_color"].startswith("#")
    sizes = {}
    for icon in manifest["icons"]:
        image = page.request.get(urljoin(page.url, icon["src"]))
        assert image.ok and image.headers["content-type"] == "image/png"
        width, height = Image.open(io.BytesIO(image.body())).size
        assert icon["sizes"] == f"{width}x{height}"
        sizes.setdefault(icon.get("purpose", "any"), set()).add(width)
    assert {192, 512} <= sizes["any"]
    assert 512 in sizes["maskable"]

    # The service worker: registered for the app's scope, active, controlling the page.
    page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=20000)
    scope = page.evaluate("() => navigator.serviceWorker.ready.then((r) => r.scope)")
    assert scope == f"{base}/field/app/"
    script = page.evaluate("() => navigator.serviceWorker.controller.scriptURL")
    assert script == f"{base}/field/app/sw.js"
    # Its precache holds the shell and the app's files, all from this server.
    cached = page.evaluate(
        """async () => { const out = [];
             for (const name of await caches.keys()) {
               for (const req of await (await caches.open(name)).keys()) out.push(req.url); }
             return out; }"""
    )
    assert any(urlparse(url).path == "/field/app/" for url in cached), cached
    assert any(urlparse(url).path == "/static/field/app.js" for url in cached), cached
    assert {urlparse(url).netloc for url in cached} == {urlparse(base).netloc}
    assert {urlparse(url).hostname for url in requested} <= {"127.0.0.1", "localhost"}

    # Fits the phone: no sideways scrolling, in every view.
    assert page.evaluate(NO_SIDEWAYS)
    for tab in ("tab-finding", "tab-queue", "tab-route"):
        page.get_by_test_id(tab).click()
        assert page.evaluate(NO_SIDEWAYS), tab
    box = page.get_by_test_id("download-route").bounding_box()
    assert box["height"] >= 44 and box["y"] > 740 / 2  # a big button, within the thumb's reach

    # With the network cut, the app still opens (from the service worker's precache).
    phone.set_offline(True)
    page.reload()
    page.wait_for_function("() => document.body.dataset.ready === '1'")
    assert page.get_by_test_id("net-state").inner_text() == "离线"
    assert page.get_by_test_id("download-route").is_visible()
    assert page.evaluate(NO_SIDEWAYS)
    phone.set_offline(False)


def test_service_worker_and_manifest_are_served_for_the_app(client):
    """The worker's script is JavaScript for the /field/app/ scope, and loads Workbox from the
    platform's static files with the modules' folder set (never Google's CDN)."""
    response = client.get("/field/app/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/field/app/"
    text = response.content.decode()
    assert 'importScripts("/static/vendor/workbox/workbox-sw.js")' in text
    assert 'modulePathPrefix: "/static/vendor/workbox"' in text
    assert "googleapis" not in text
    from django.contrib.staticfiles import finders

    for module in ("workbox-sw", "workbox-core", "workbox-routing", "workbox-strategies",
                   "workbox-precaching"):  # fmt: skip
        name = "workbox-sw.js" if module == "workbox-sw" else f"{module}.prod.js"
        assert finders.find(f"vendor/workbox/{name}"), module
