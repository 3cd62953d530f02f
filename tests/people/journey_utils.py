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
    return page.locator("#sg-nav").get_by_role("link", name=name, exact=True)
