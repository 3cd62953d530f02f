"""Issue #10, done-when 5: every main page under the strict Content-Security-Policy, in real
Chromium, on a server configured like production.

The live server takes production's header and cookie settings from the production settings
module itself (read in a fresh process); only the HTTPS redirect and the cookies' Secure flag are
off, because the test server speaks plain http. It serves the demo data (`shegong demo`) and the
demo logins. A county user, a national user, a system administrator and a visitor each open the
pages they can reach, found from the URL configuration (every route without parameters) and by
following the links on those pages (one page per route with parameters), so that a page added
later is covered without editing this test. Every request beyond the test server is cut off.

On every page: no `securitypolicyviolation` event, no console error, no uncaught script error, the
production headers, and every chart (`.sg-chart`) drawn on a canvas. Then the interactions the
policy could break: the htmx inbox badge, a select that submits its form, Swagger UI.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from urllib.parse import urlparse

import pytest
from django.contrib import admin
from django.core.management import call_command
from django.urls import Resolver404, resolve
from playwright.sync_api import expect

from shegong.core.access import PUBLIC, access_of
from shegong.core.csp import build_policy
from shegong.core.demo_utils import DEMO_PASSWORD
from tests.core.settings_probe import production_settings
from tests.core.test_access_walk import all_patterns
from tests.signin import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Collects what the browser refuses, from before the page's first script runs.
LISTEN_FOR_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(
    `${e.effectiveDirective} blocked ${e.blockedURI || "inline"} at ${e.sourceFile}:${e.lineNumber} ${e.sample}`
  );
});
"""
CHARTS = """() => Array.from(document.querySelectorAll(".sg-chart")).map((el) => ({
  id: el.id, ready: el.getAttribute("data-chart-ready"), canvas: !!el.querySelector("canvas"),
}))"""
# Not pages: POST-only actions reached by GET would only say 405.
NOT_PAGES = {"accounts:logout", "set_language", "inbox:read_all", "core:elder_mode"}
# The pages issue #10 names, by who must reach them (more are visited: whatever the routes hold).
COUNTY_PAGES = {
    "core:home",
    "regions:detail",
    "orgs:list",
    "orgs:detail",
    "people:list",
    "people:detail",
    "people:statistics",
    "cases:list",
    "cases:detail",
    "petitions:list",
    "petitions:detail",
    "petitions:analysis",
    "volunteers:list",
    "volunteers:detail",
    "volunteers:activities",
    "volunteers:activity",
    "volunteers:stats",
    "funds:index",
    "funds:plans",
    "funds:plan",
    "funds:report",
    "inbox:list",
    "accounts:tokens",
    "api:openapi-view",
}
NATIONAL_PAGES = {
    "core:home",
    "regions:detail",
    "people:list",
    "people:statistics",
    "petitions:list",
    "petitions:analysis",
    "volunteers:stats",
    "funds:index",
    "funds:report",
    "funds:plans",
    "funds:plan",
    "api:openapi-view",
}
PUBLIC_PAGES = {
    "accounts:login",
    "portal:home",
    "portal:sites",
    "portal:site",
    "portal:activities",
    "portal:activity",
    "portal:stats",
    "portal:verify",
    "portal:register",
    "petitions:public_submit",
    "petitions:public_track",
    "funds:transparency",
}


@pytest.fixture
def production_policy(settings) -> str:
    """The test server with production's security settings; the policy its pages must carry."""
    for name, value in production_settings().items():
        setattr(settings, name, tuple(value) if isinstance(value, list) else value)
    settings.SECURE_SSL_REDIRECT = False
    for cookie in ("SESSION", "CSRF", "LANGUAGE"):
        setattr(settings, f"{cookie}_COOKIE_SECURE", False)
    return build_policy(settings.SECURE_CSP)


@pytest.fixture
def demo(live_server):
    call_command("demo", stdout=io.StringIO())


@dataclass
class Crawl:
    """One person's walk through the pages in one browser context."""

    context: object
    base: str
    policy: str
    follow: callable
    problems: list[str] = field(default_factory=list)
    visited: dict[str, str] = field(default_factory=dict)  # route → the URL opened for it
    names: set[str] = field(default_factory=set)
    charts: set[str] = field(default_factory=set)
    outside: list[str] = field(default_factory=list)

    def __post_init__(self):
        self.host = urlparse(self.base).netloc
        self.context.add_init_script(LISTEN_FOR_VIOLATIONS)
        self.context.route("**/*", self._this_server_only)
        self.page = self.context.new_page()
        self.page.on("console", self._on_console)
        self.page.on("pageerror", lambda error: self.problems.append(f"{self.page.url}: {error}"))

    def _this_server_only(self, route):
        if urlparse(route.request.url).netloc == self.host:
            route.continue_()
        else:
            self.outside.append(route.request.url)
            route.abort()

    def _on_console(self, message):
        # Chromium asks for /favicon.ico by itself; the platform has none.
        if message.type == "error" and not message.location.get("url", "").endswith("favicon.ico"):
            self.problems.append(f"{self.page.url}: console: {message.text}")

    def sign_in(self, username: str) -> None:
        """Through the real form, with the authenticator's code where the account needs one."""
        sign_in(self.page, self.base, username, DEMO_PASSWORD)
        expect(self.page.get_by_test_id("jurisdiction")).to_be_visible()

    def walk(self, start: list[str]) -> None:
        queue = list(start)
        while queue and len(self.visited) < 250:
            path = queue.pop(0)
            try:
                match = resolve(path)
            except Resolver404:
                continue
            if match.route in self.visited or match.view_name in NOT_PAGES:
                continue
            self.visited[match.route] = path
            if self.open(path):
                self.names.add(match.view_name)
                queue.extend(self.links())

    def open(self, path: str) -> bool:
        """Opens `path` if it is a page; checks the headers of whatever it is."""
        url = self.base + path
        answer = self.page.request.get(url, max_redirects=0)
        headers = answer.headers
        if headers.get("content-security-policy") != self.policy:
            self.problems.append(f"{path}: policy {headers.get('content-security-policy')!r}")
        for header, value in (
            ("x-frame-options", "DENY"),
            ("x-content-type-options", "nosniff"),
            ("referrer-policy", "same-origin"),
            ("cross-origin-opener-policy", "same-origin"),
        ):
            if headers.get(header) != value:
                self.problems.append(f"{path}: {header} {headers.get(header)!r}")
        if answer.status != 200 or not headers.get("content-type", "").startswith("text/html"):
            return False
        self.page.goto(url)
        self.settle()
        self.check_page(path)
        return True

    def settle(self) -> None:
        """Waits for htmx requests started by the page (the inbox badge) to be swapped in."""
        self.page.wait_for_function("() => !document.querySelector('.htmx-request')")

    def check_page(self, path: str) -> None:
        for violation in self.page.evaluate("window.__cspViolations"):
            self.problems.append(f"{path}: CSP: {violation}")
        for chart in self.page.evaluate(CHARTS):
            if chart["ready"] == "1" and chart["canvas"]:
                self.charts.add(chart["id"])
            else:
                self.problems.append(f"{path}: chart #{chart['id']} not drawn")

    def links(self) -> list[str]:
        found = []
        for href in self.page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)"):
            url = urlparse(href)
            if url.netloc == self.host and url.scheme in ("http", "https"):
                try:
                    if self.follow(resolve(url.path)):
                        found.append(url.path)
                except Resolver404:
                    continue
        return found


def routes_without_parameters(keep) -> list[str]:
    """Every route of the URL configuration that needs no parameter and whose view `keep`s."""
    found = []
    for route, pattern, namespaces in all_patterns():
        if "<" in route or "(" in route or route.startswith("^"):
            continue
        if keep(pattern.callback, namespaces):
            found.append("/" + route)
    return found


def is_public(view) -> bool:
    return access_of(view) == PUBLIC


def staff_pages(match) -> bool:
    return not {"admin", "api"} & set(match.namespaces)


def admin_pages(match) -> bool:
    return "admin" in match.namespaces and (match.url_name or "").endswith(
        ("index", "app_list", "_changelist", "_change")
    )


def public_pages(match) -> bool:
    return is_public(match.func)


def start_for_staff() -> list[str]:
    return ["/", "/api/v1/docs"] + routes_without_parameters(
        lambda view, namespaces: not {"admin", "api"} & set(namespaces)
    )


def new_crawl(browser, browser_context_args, live_server, policy, follow) -> Crawl:
    context = browser.new_context(**browser_context_args)
    return Crawl(context=context, base=live_server.url, policy=policy, follow=follow)


def problems_of(crawl: Crawl, must_reach: set[str]) -> list[str]:
    crawl.context.close()
    found = list(crawl.problems)
    found += [f"asked outside the platform for {url}" for url in crawl.outside]
    found += [f"never reached {name}" for name in sorted(must_reach - crawl.names)]
    return found


def county_user_walk(browser, browser_context_args, live_server, policy) -> Crawl:
    from shegong.accounts.models import User
    from shegong.inbox.services import notify

    tianhe = User.objects.get(username="tianhe")
    notify(
        recipient_ids=[tianhe.pk],
        region_code="440106000000",
        kind="matter_due",
        params={"number": "N-1", "title": "楼道照明损坏", "due": "2026-12-01"},
        url="/petitions/",
        key="csp-test",
    )
    crawl = new_crawl(browser, browser_context_args, live_server, policy, staff_pages)
    crawl.sign_in("tianhe")
    page = crawl.page

    # htmx loads the unread count into the top bar (the notice above and whatever the demo's
    # deadlines already sent); the session and CSRF cookies are HttpOnly.
    from shegong.inbox.selectors import unread_count

    tianhe.active_membership = tianhe.memberships.filter(is_active=True).first()
    unread = unread_count(fetched_by=tianhe)
    assert unread >= 1
    expect(page.get_by_test_id("inbox-unread")).to_have_text(str(unread))
    cookies = {c["name"]: c for c in crawl.context.cookies()}
    assert cookies["sessionid"]["httpOnly"] and cookies["csrftoken"]["httpOnly"]
    assert cookies["sessionid"]["sameSite"] == "Lax"

    crawl.walk(start_for_staff())
    assert len(crawl.names) > 40
    assert {"child-chart", "weekly-chart", "sankey", "plan-chart"} <= crawl.charts

    # A select submits its form (static script, no inline handler); the chart is drawn again.
    page.goto(f"{live_server.url}/petitions/analysis/")
    page.get_by_label("时间范围").select_option("90")
    expect(page).to_have_url(re.compile(r"days=90"))
    expect(page.locator("#weekly-chart canvas")).to_have_count(1)
    crawl.check_page("/petitions/analysis/?days=90")

    # Swagger UI renders the whole API from the platform's own files.
    page.goto(f"{live_server.url}/api/v1/docs")
    # (a generous wait, not a speed check: on a loaded machine the whole schema takes seconds)
    expect(page.locator(".opblock").first).to_be_visible(timeout=60_000)
    assert page.locator(".opblock").count() > 50
    crawl.check_page("/api/v1/docs")
    return crawl


def national_user_walk(browser, browser_context_args, live_server, policy) -> Crawl:
    crawl = new_crawl(browser, browser_context_args, live_server, policy, staff_pages)
    crawl.sign_in("central")
    expect(crawl.page.get_by_test_id("jurisdiction")).to_contain_text("中华人民共和国")
    crawl.walk(start_for_staff())
    assert len(crawl.names) > 30
    assert {"child-chart", "weekly-chart", "sankey"} <= crawl.charts
    return crawl


def administrator_walk(browser, browser_context_args, live_server, policy) -> Crawl:
    crawl = new_crawl(browser, browser_context_args, live_server, policy, admin_pages)
    crawl.sign_in("admin")
    crawl.walk(["/admin/"])
    assert any(name.endswith("_change") for name in crawl.names)
    return crawl


def visitor_walk(browser, browser_context_args, live_server, policy) -> Crawl:
    from shegong.funds.models import Donation

    donation = Donation.objects.order_by("pk").first()
    crawl = new_crawl(browser, browser_context_args, live_server, policy, public_pages)
    crawl.walk(
        [f"/funds/public/{donation.organisation_id}/"]
        + routes_without_parameters(lambda view, namespaces: is_public(view))
    )
    return crawl


def test_every_main_page_under_the_production_csp(
    browser, browser_context_args, live_server, production_policy, demo
):
    args = (browser, browser_context_args, live_server, production_policy)
    changelists = {
        f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist"
        for model in admin.site._registry
    }
    found = {
        "county user (tianhe)": problems_of(county_user_walk(*args), COUNTY_PAGES),
        "national user (central)": problems_of(national_user_walk(*args), NATIONAL_PAGES),
        "system administrator (admin)": problems_of(
            administrator_walk(*args), {"admin:index"} | changelists
        ),
        "visitor": problems_of(visitor_walk(*args), PUBLIC_PAGES),
    }
    assert found == dict.fromkeys(found, [])


def test_the_walk_reports_what_the_policy_refuses(
    browser, browser_context_args, live_server, production_policy
):
    """The walk above would see a violation: a page with an inline script, an inline handler, a
    style attribute, an image from another site and an undrawn chart is reported on each count;
    and what a page without the policy asks from another site never leaves the test server."""
    crawl = new_crawl(browser, browser_context_args, live_server, production_policy, staff_pages)
    leaky = (
        "<!doctype html><title>x</title><script>document.title = 'ran';</script>"
        '<button onclick="alert(1)">b</button><p style="color: red">p</p>'
        '<img src="https://cdn.example.com/a.png" alt=""><div class="sg-chart" id="c"></div>'
    )

    def serve(route):
        with_policy = route.request.url.endswith("/leaky-page/")
        route.fulfill(
            status=200,
            content_type="text/html",
            headers={"Content-Security-Policy": production_policy} if with_policy else {},
            body=leaky,
        )

    crawl.page.route("**/*-page/", serve)
    crawl.page.goto(f"{live_server.url}/leaky-page/")
    crawl.check_page("/leaky-page/")
    assert crawl.page.title() == "x"
    crawl.page.goto(f"{live_server.url}/open-page/")
    crawl.page.wait_for_load_state("load")
    assert crawl.page.title() == "ran"
    problems = "\n".join(problems_of(crawl, {"core:home"}))
    assert "/leaky-page/: CSP: script-src-elem blocked inline" in problems
    assert "/leaky-page/: CSP: script-src-attr blocked inline" in problems  # even unclicked
    assert "/leaky-page/: CSP: style-src-attr blocked inline" in problems
    assert "/leaky-page/: CSP: img-src blocked https://cdn.example.com/a.png" in problems
    assert "/leaky-page/: chart #c not drawn" in problems
    assert "/leaky-page/: console: Executing inline script violates" in problems
    assert "asked outside the platform for https://cdn.example.com/a.png" in problems
    assert "never reached core:home" in problems
