"""Shared set-up for the browser journeys (real Chromium, Chinese UI)."""

from importlib import import_module

from django.apps import apps
from playwright.sync_api import expect

from tests.factories import MembershipFactory, OrganisationFactory
from tests.signin import sign_in


def load_defaults() -> None:
    """Categories and default cadences (a transactional test starts from flushed tables)."""
    import_module("shegong.people.migrations.0002_default_categories").forwards(apps, None)


def member(username: str, role: str, region: str, kind: str, org=None, name: str = ""):
    org = org or OrganisationFactory(region_id=region, kind=kind, name=name or f"{username}单位")
    return MembershipFactory(organisation=org, role=role, user__username=username).user


def log_in(page, live_server, username: str, place: str) -> None:
    page.context.clear_cookies()
    sign_in(page, live_server.url, username)
    expect(page.get_by_test_id("jurisdiction")).to_contain_text(place)


def nav(page, name: str):
    """The menu item `name`; its group's dropdown is opened first (the menu's top level is the
    product's parts, core/shell.py NAV_GROUPS), as a person would."""
    menu = page.locator("#sg-nav")
    item = menu.get_by_role("link", name=name, exact=True, include_hidden=True)
    item.wait_for(state="attached")
    page.wait_for_load_state("domcontentloaded")  # the dropdowns' script (deferred) has run
    group = menu.locator("li.dropdown").filter(
        has=page.get_by_role("link", name=name, exact=True, include_hidden=True)
    )
    if group.count() and not item.is_visible():
        group.locator(".dropdown-toggle").click()
        expect(item).to_be_visible()
    return item
