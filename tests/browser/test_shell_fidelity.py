"""Issue #12, in real Chromium: the menu is one line at 1366×768 in Chinese and English and is
operable from the keyboard; the API documentation, the portal and a staff home page ask nothing of
any server but the platform's own.
"""

from __future__ import annotations

import os
from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

from shegong.accounts.models import Role
from shegong.core import shell
from tests.factories import MembershipFactory, OrganisationFactory
from tests.signin import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OWN_HOSTS = {"127.0.0.1", "localhost"}

# Each top-level item of the menu: its box, so that a line break (or a label broken inside, the
# "首/页" of issue #12) shows as a second top offset or a taller item.
TOP_LEVEL = """() => Array.from(document.querySelectorAll('[data-testid="main-menu"] > li')).map(
  (li) => { const a = li.querySelector('.nav-link').getBoundingClientRect();
            return {text: li.querySelector('.nav-link').innerText.trim(), top: Math.round(a.top),
                    height: Math.round(a.height)}; })"""
MENU_BOX = """() => { const ul = document.querySelector('[data-testid="main-menu"]');
  const r = ul.getBoundingClientRect(); return {height: r.height, width: r.width}; }"""


def widest_role() -> str:
    """The role whose menu has the most groups (the longest top bar)."""
    return max(Role.values, key=lambda role: len(shell.nav_groups(shell.nav_items(role))))


@pytest.fixture
def staff(live_server):
    role = widest_role()
    dept = OrganisationFactory(name="天河区委社会工作部", region_id="440106000000")
    return MembershipFactory(organisation=dept, role=role, user__username="menu_e2e").user


class OnlyThisServer:
    """Cuts off every request that is not for the test server, and remembers it."""

    def __init__(self, context):
        self.outside: list[str] = []
        self.asked: list[str] = []
        context.route("**/*", self._route)

    def _route(self, route):
        url = route.request.url
        self.asked.append(url)
        if urlparse(url).hostname in OWN_HOSTS:
            route.continue_()
        else:
            self.outside.append(url)
            route.abort()


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_menu_is_one_line_at_1366_and_opens_from_the_keyboard(
    browser, browser_context_args, live_server, staff, output_path, language
):
    context = browser.new_context(
        **{**browser_context_args, "viewport": {"width": 1366, "height": 768}}
    )
    page = context.new_page()
    sign_in(page, live_server.url, "menu_e2e")
    expect(page.get_by_test_id("jurisdiction")).to_be_visible()
    if language == "en":
        page.get_by_role("button", name="English").click()
        expect(page.locator("html")).to_have_attribute("lang", "en")
    menu = page.get_by_test_id("main-menu")
    expect(menu).to_be_visible()

    items = page.evaluate(TOP_LEVEL)
    groups = shell.nav_groups(shell.nav_items(widest_role()))
    assert len(items) == 1 + len(groups) >= 6  # 首页 and the groups, nothing else on the bar
    tops = {item["top"] for item in items}
    heights = {item["height"] for item in items}
    assert len(tops) == 1, items  # one line
    assert max(heights) - min(heights) <= 1, items  # no label broken over two lines
    box = page.evaluate(MENU_BOX)
    assert box["height"] < 1.6 * min(heights) + 16, (box, items)  # one line tall, padding aside
    os.makedirs(output_path, exist_ok=True)
    page.screenshot(path=os.path.join(output_path, f"menu-1366x768-{language}.png"))

    # The keyboard: Tab reaches a group, Enter opens it, the arrow keys move through its items,
    # Escape closes it and gives the focus back; Enter on an item opens its page.
    toggle = page.locator("#sg-menu-governance")
    page.wait_for_load_state("load")  # the menu's script attached (slow on a loaded machine)
    toggle.focus()
    page.keyboard.press("Enter")
    dropdown = page.locator('[data-testid="menu-governance"] .dropdown-menu')
    expect(dropdown).to_be_visible()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    page.keyboard.press("ArrowDown")
    first = dropdown.locator(".dropdown-item").first
    expect(first).to_be_focused()
    page.keyboard.press("Escape")
    expect(dropdown).to_be_hidden()
    expect(toggle).to_be_focused()
    page.keyboard.press("Enter")
    page.keyboard.press("ArrowDown")
    href = first.get_attribute("href")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{href}")
    # the page opened marks its group and its item
    expect(page.locator('[data-testid="menu-governance"]')).to_have_class(
        "nav-item dropdown active"
    )
    context.close()


def test_api_docs_render_from_the_platform_alone(browser, browser_context_args, live_server, staff):
    context = browser.new_context(**browser_context_args)
    guard = OnlyThisServer(context)
    page = context.new_page()
    sign_in(page, live_server.url, "menu_e2e")
    expect(page.get_by_test_id("jurisdiction")).to_be_visible()
    page.goto(f"{live_server.url}/api/v1/docs")
    # (a generous wait, not a speed check: on a loaded machine the whole schema takes seconds)
    expect(page.locator(".opblock").first).to_be_visible(timeout=60_000)
    assert page.locator(".opblock").count() > 50
    expect(page.locator(".opblock-summary-path").first).to_be_visible()
    page.wait_for_load_state("networkidle")
    assert any("/static/" in url for url in guard.asked)  # the UI's own files were asked for
    assert guard.outside == []
    context.close()


def test_portal_and_staff_home_ask_nothing_outside(
    browser, browser_context_args, live_server, staff
):
    context = browser.new_context(**browser_context_args)
    guard = OnlyThisServer(context)
    page = context.new_page()
    page.goto(f"{live_server.url}/portal/")
    expect(page.get_by_test_id("public-services")).to_be_visible()
    page.wait_for_load_state("networkidle")
    sign_in(page, live_server.url, "menu_e2e")
    expect(page.get_by_test_id("home-figures")).to_be_visible()
    page.wait_for_load_state("networkidle")
    assert len(guard.asked) > 5
    assert guard.outside == []
    context.close()


def test_the_guard_sees_a_request_that_leaves(browser, browser_context_args, live_server):
    """The checks above would notice: a page asking another site is cut off and reported."""
    context = browser.new_context(**browser_context_args)
    guard = OnlyThisServer(context)
    page = context.new_page()
    page.route(
        "**/leaky/",
        lambda route: route.fulfill(
            status=200,
            content_type="text/html",
            body='<!doctype html><link rel="stylesheet" href="https://cdn.example.com/x.css">',
        ),
    )
    page.goto(f"{live_server.url}/leaky/")
    page.wait_for_load_state("networkidle")
    assert guard.outside == ["https://cdn.example.com/x.css"]
    context.close()
