"""Every page of the volunteers and portal apps declares who may reach it; the portal and the
HSDS API are public by declaration, the internal pages need a role."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from shegong.core.access import PUBLIC, access_of


def _walk(patterns, namespace=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _walk(p.url_patterns, p.namespace or namespace)
        elif isinstance(p, URLPattern):
            yield namespace, p


@pytest.mark.parametrize("namespace", ["volunteers", "portal", "hsds"])
def test_each_view_declares_its_access(namespace):
    views = [(ns, p) for ns, p in _walk(get_resolver().url_patterns) if ns == namespace]
    assert views
    for _ns, pattern in views:
        declared = access_of(pattern.callback)
        assert declared is not None, pattern.name
        if namespace in ("portal", "hsds"):
            assert declared == PUBLIC, pattern.name
        else:
            assert declared.startswith("perm:volunteers."), pattern.name


@pytest.mark.django_db
def test_internal_pages_send_anonymous_visitors_to_login(client):
    for path in (
        "/volunteers/",
        "/volunteers/activities/",
        "/volunteers/me/",
        "/volunteers/stats/",
    ):
        response = client.get(path)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.django_db
def test_api_needs_authentication(client):
    assert client.get("/api/v1/volunteers/volunteers").status_code == 401
