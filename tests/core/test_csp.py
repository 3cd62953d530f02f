"""The Content-Security-Policy: on every response, strict, with a per-response nonce for the rare
template that needs one; no template carries inline script, event handlers or inline styles; the
API docs page is served from the platform itself."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.template import RequestContext, Template
from django.test import RequestFactory

from shegong.api import api
from shegong.core.csp import CSP, ContentSecurityPolicyMiddleware, build_policy
from tests.core.test_access_walk import all_patterns

SRC = Path(settings.SRC_DIR)


def directives(header: str) -> dict[str, list[str]]:
    found = {}
    for part in header.split(";"):
        name, *sources = part.split()
        found[name] = sources
    return found


def assert_strict(header: str, url: str) -> None:
    policy = directives(header)
    script = policy["script-src"]
    assert script[0] == "'self'" and all(s.startswith("'nonce-") for s in script[1:]), (url, script)
    for name in ("default-src", "script-src", "style-src"):
        assert not {"'unsafe-inline'", "'unsafe-eval'", "*"} & set(policy[name]), (url, name)
    assert policy["default-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert set(policy["img-src"]) <= {"'self'", "data:"}
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]


def concrete_routes():
    for route, _pattern, namespaces in all_patterns():
        if "<" in route or "(" in route or "^" in route or "admin" in namespaces:
            continue
        yield "/" + route
    for path, methods in api.get_openapi_schema()["paths"].items():
        if "get" in methods and "{" not in path:
            yield path
    yield "/admin/login/"
    yield "/open311/v2/discovery.json"
    yield "/open311/v2/services.xml"
    yield "/no-such-page/"


@pytest.mark.django_db
def test_every_response_carries_the_strict_policy(client, login, county_user):
    """Pages, fragments, exports, redirects, errors, the admin, the API and its docs, the public
    portal and petition pages, Open311 and HSDS: as a visitor and as a county user."""
    routes = sorted(set(concrete_routes()))
    assert len(routes) > 60
    for who in ("visitor", "county user"):
        if who == "county user":
            client = login(county_user)
        for url in routes:
            response = client.get(url)
            assert "Content-Security-Policy" in response, f"{who} {url} {response.status_code}"
            assert_strict(response["Content-Security-Policy"], url)
            assert response["X-Frame-Options"] == "DENY", url
            assert response["Referrer-Policy"] == "same-origin", url
            assert response["X-Content-Type-Options"] == "nosniff", url


def _render_with_nonce(request):
    html = Template('<script nonce="{{ csp_nonce }}">1</script>').render(RequestContext(request))
    return HttpResponse(html)


def test_a_template_that_reads_the_nonce_gets_it_in_the_header_new_each_time():
    middleware = ContentSecurityPolicyMiddleware(_render_with_nonce)
    seen = set()
    for _ in range(2):
        response = middleware(RequestFactory().get("/"))
        nonce = re.search(r'nonce="([^"]+)"', response.content.decode()).group(1)
        assert len(nonce) >= 22
        assert f"'nonce-{nonce}'" in directives(response["Content-Security-Policy"])["script-src"]
        seen.add(nonce)
    assert len(seen) == 2


def test_a_response_that_uses_no_nonce_announces_none():
    middleware = ContentSecurityPolicyMiddleware(lambda request: HttpResponse("<p>x</p>"))
    header = middleware(RequestFactory().get("/"))["Content-Security-Policy"]
    assert directives(header)["script-src"] == ["'self'"]


def test_a_view_may_set_its_own_policy():
    def view(request):
        response = HttpResponse("{}")
        response["Content-Security-Policy"] = "default-src 'none'"
        return response

    header = ContentSecurityPolicyMiddleware(view)(RequestFactory().get("/"))
    assert header["Content-Security-Policy"] == "default-src 'none'"


def test_report_only_policy_is_sent_beside_the_enforced_one(settings):
    settings.SECURE_CSP_REPORT_ONLY = {"default-src": [CSP.NONE], "report-uri": "/csp-reports/"}
    response = ContentSecurityPolicyMiddleware(lambda r: HttpResponse(""))(
        RequestFactory().get("/")
    )
    assert response["Content-Security-Policy-Report-Only"] == (
        "default-src 'none'; report-uri /csp-reports/"
    )
    assert "script-src 'self'" in response["Content-Security-Policy"]


def test_build_policy_renders_lists_flags_and_drops_empty_directives():
    config = {
        "script-src": [CSP.SELF, CSP.NONCE],
        "style-src": CSP.SELF,
        "upgrade-insecure-requests": True,
        "sandbox": False,
        "report-uri": None,
        "worker-src": [CSP.NONCE],
    }
    assert build_policy(config) == "script-src 'self'; style-src 'self'; upgrade-insecure-requests"
    assert build_policy(config, nonce="abc") == (
        "script-src 'self' 'nonce-abc'; style-src 'self'; upgrade-insecure-requests; "
        "worker-src 'nonce-abc'"
    )


# ---- templates ---------------------------------------------------------------------------------

COMMENTS = re.compile(r"\{#.*?#\}|\{%\s*comment\s*%\}.*?\{%\s*endcomment\s*%\}", re.S)
SCRIPT_TAG = re.compile(r"<script\b([^>]*)>", re.I)
DATA_SCRIPT = re.compile(r"""type\s*=\s*["']application/(ld\+)?json["']""", re.I)
EVENT_HANDLER = re.compile(r"<[a-z][^>]*?\son[a-z]+\s*=", re.I | re.S)
STYLE_ATTRIBUTE = re.compile(r"<[a-z][^>]*?\sstyle\s*=", re.I | re.S)
STYLE_ELEMENT = re.compile(r"<style\b", re.I)
JS_URL = re.compile(r"""(href|src|action)\s*=\s*["']\s*javascript:""", re.I)


def our_templates():
    return sorted(p for p in SRC.rglob("templates/**/*.html"))


def problems_in(text: str) -> list[str]:
    text = COMMENTS.sub("", text)
    found = []
    for match in SCRIPT_TAG.finditer(text):
        attrs = match.group(1)
        if "src=" not in attrs and not DATA_SCRIPT.search(attrs):
            found.append("inline <script>")
    for pattern, what in (
        (EVENT_HANDLER, "inline event handler (on…=)"),
        (STYLE_ATTRIBUTE, "style attribute"),
        (STYLE_ELEMENT, "<style> element"),
        (JS_URL, "javascript: URL"),
    ):
        if pattern.search(text):
            found.append(what)
    return found


def test_no_template_has_inline_script_handlers_or_styles():
    """What the policy would refuse, found before a browser does: behaviour belongs in static JS
    files (data through json_script or data- attributes), looks in static CSS files."""
    templates = our_templates()
    assert len(templates) > 50
    offenders = {
        str(path.relative_to(SRC)): found
        for path in templates
        if (found := problems_in(path.read_text(encoding="utf-8")))
    }
    assert offenders == {}


@pytest.mark.parametrize(
    "html",
    [
        "<script>alert(1)</script>",
        '<select onchange="this.form.submit()">',
        '<div class="x"\n     style="height: 3px">',
        "<style>.a{}</style>",
        '<a href="javascript:void(0)">',
    ],
)
def test_the_template_guard_catches_each_kind(html):
    assert problems_in(html)


def test_the_template_guard_lets_data_scripts_and_comments_through():
    assert not problems_in('<script src="/static/x.js"></script>')
    assert not problems_in('<script type="application/json" id="d">{}</script>')
    assert not problems_in("{# an inline <style> is refused by the policy #}")


# ---- API docs ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_api_docs_load_swagger_ui_from_the_platform(client):
    response = client.get("/api/v1/docs")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<script src="/static/ninja/swagger-ui-bundle.js">' in html
    assert '<script src="/static/shegong/swagger-init.js">' in html
    assert '<link rel="stylesheet" href="/static/ninja/swagger-ui.css">' in html
    assert not re.search(r"(src|href)=\"(https?:)?//", html), "an asset from another site"
    assert problems_in(html) == []
    for asset in ("ninja/swagger-ui-bundle.js", "ninja/swagger-ui.css", "shegong/swagger-init.js"):
        assert finders.find(asset), asset
