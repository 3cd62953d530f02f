"""Shared fixtures: real region data, users with memberships, and the browser."""

from __future__ import annotations

import os
import shutil
from functools import lru_cache

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# Demo counties of the test data: 天河区 (Guangzhou, urban) and 英德市 (Qingyuan, rural);
# plus 荔波县 in Guizhou (county level only). Real codes and names from the shipped data file.
TEST_COUNTIES = ("440106", "441881")


@lru_cache(maxsize=1)
def test_region_units() -> tuple[tuple[str, str], ...]:
    """The whole country down to counties, plus every township and village of the test counties."""
    from shegong.regions.loader import BASE_FILE, PROVINCE_DIR, read_units

    units = read_units(BASE_FILE)
    units += [u for u in read_units(PROVINCE_DIR / "44.tsv.xz") if u[0].startswith(TEST_COUNTIES)]
    return tuple(units)


def load_test_regions() -> None:
    from tests.testdb import load_test_regions as load

    load()


@pytest.fixture(scope="session")
def django_db_setup(request, django_test_environment, django_db_blocker):
    """The worker's test database, cloned from a template built once (tests/testdb.py)."""
    from django.db import connections

    from tests import testdb
    from tests.audit_guards import allow_test_flush

    # The audit log refuses DELETE/TRUNCATE; the flush after a transactional test may empty it.
    allow_test_flush()
    connection = connections["default"]
    with django_db_blocker.unblock():
        if connection.vendor == "sqlite":
            serialized = testdb.sqlite_worker_database(connection)
            created = None
        else:
            worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
            created, serialized = testdb.postgres_worker_database(connection, worker)
        connection._test_serialized_contents = serialized
    yield
    with django_db_blocker.unblock():
        if created is not None:
            testdb.postgres_drop(connection, created)
        else:
            connection.close()


@pytest.fixture(autouse=True)
def _fresh_process_caches():
    """What a process keeps between requests (rendered page shells, the cache, region names,
    compiled statements, visit routes) starts empty in each test, as in a newly started server; and each
    test starts in the default language (a request in English leaves English active in the
    thread, since LocaleMiddleware activates and never deactivates)."""
    from django.conf import settings
    from django.core.cache import cache
    from django.utils import translation

    from shegong.accounts.signin.second_factor import forget_rules
    from shegong.core import shell
    from shegong.people import selectors as people_selectors
    from shegong.regions.selectors import forget_region_names

    shell.clear()
    cache.clear()
    forget_region_names()
    forget_rules()
    people_selectors.forget_compiled()
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _regions_present(request):
    """A transactional test (live server) starts after another one flushed every table: put the
    regions back. (pytest-django runs transactional tests last, so only they need this.)"""
    if not _is_transactional(request.node):
        return
    if {"live_server", "transactional_db"} & set(request.fixturenames):
        request.getfixturevalue("transactional_db")
    else:  # @pytest.mark.django_db(transaction=True)
        request.getfixturevalue("_django_db_helper")
    from shegong.regions.models import Region

    if not Region.objects.filter(code="440106000000").exists():
        load_test_regions()
    restore_seed_data()


# Rows that data migrations seed; a flushed database gets them back from the same functions.
SEED_MIGRATIONS = [
    ("petitions", "Category", "shegong.petitions.migrations.0002_seed_taxonomy", "seed"),
    ("people", "Category", "shegong.people.migrations.0002_default_categories", "forwards"),
    ("people", "Category", "shegong.people.migrations.0009_target_group_categories", "seed"),
    (
        "workdays",
        "HolidaySchedule",
        "shegong.workdays.migrations.0002_seed_chinese_calendar",
        "seed",
    ),
    ("orgs", "StaffingStandard", "shegong.orgs.migrations.0003_seed_staffing_standards", "seed"),
    ("indicators", "Indicator", "shegong.indicators.migrations.0002_shipped_indicators", "install"),
]


def restore_seed_data() -> None:
    from importlib import import_module

    from django.apps import apps

    empty: dict[tuple[str, str], bool] = {}  # asked once per model: its seeds run in order
    for app_label, model_name, module, function in SEED_MIGRATIONS:
        key = (app_label, model_name)
        if key not in empty:
            empty[key] = not apps.get_model(app_label, model_name).objects.exists()
        if empty[key]:
            getattr(import_module(module), function)(apps, None)


# ---- users -------------------------------------------------------------------------------------


@pytest.fixture
def make_member(db):
    """`make_member(role, region_code, kind=...)` → a user with one membership there."""
    from tests.factories import MembershipFactory, OrganisationFactory

    def make(
        role: str = "dept_staff",
        region_code: str = "440106000000",
        kind: str = "sw_department",
        **org_fields,
    ):
        org = OrganisationFactory(region_id=region_code, kind=kind, **org_fields)
        membership = MembershipFactory(organisation=org, role=role)
        user = membership.user
        user.active_membership = membership
        return user

    return make


@pytest.fixture
def county_user(make_member):
    """Staff of the 天河区 social work department."""
    return make_member("dept_staff", "440106000000", name="天河区委社会工作部")


@pytest.fixture
def other_county_user(make_member):
    """Staff of the 英德市 social work department (another county)."""
    return make_member("dept_staff", "441881000000", name="英德市委社会工作部")


@pytest.fixture
def login(client):
    """Sign `user` in on the test client, with the session verified by a second factor (as
    after signing in with an authenticator) unless `second_factor=False`."""

    def do(user, *, second_factor: bool = True):
        client.force_login(user)
        session = client.session
        session["active_membership_id"] = user.active_membership.pk
        session.save()
        if second_factor:
            from tests.signin import verify_session

            verify_session(client, user)
        return client

    return do


# ---- browser -----------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "zh-CN", "viewport": {"width": 1366, "height": 900}}


def _is_transactional(item) -> bool:
    marker = item.get_closest_marker("django_db")
    fixtures = getattr(item, "fixturenames", ())
    return bool(marker and marker.kwargs.get("transaction")) or "live_server" in fixtures


def pytest_collection_modifyitems(config, items):
    # A transactional test (live server, threads) ends with every table flushed, which also
    # removes the rows data migrations seeded (categories, deadline settings, holidays…):
    # serialized rollback restores them before the next one. Regions are put back by
    # `_regions_present`.
    for item in items:
        if _is_transactional(item):
            item.add_marker(pytest.mark.django_db(transaction=True, serialized_rollback=True))
    if os.path.exists(CHROMIUM):
        return
    browser_items = [item for item in items if item.get_closest_marker("browser")]
    if browser_items and os.environ.get("SHEGONG_REQUIRE_BROWSER") == "1":
        raise pytest.UsageError(f"Browser tests are required but Chromium is missing at {CHROMIUM}")
    for item in browser_items:
        item.add_marker(pytest.mark.skip(reason=f"Chromium not found at {CHROMIUM}"))


_skipped_browser_tests: list[str] = []


def pytest_runtest_logreport(report):
    if report.skipped and "browser" in report.keywords:
        _skipped_browser_tests.append(report.nodeid)


def pytest_sessionfinish(session, exitstatus):
    """In CI a skipped browser journey is a failure, not a pass."""
    if _skipped_browser_tests and os.environ.get("SHEGONG_REQUIRE_BROWSER") == "1":
        print(f"\nBrowser tests were skipped but are required: {_skipped_browser_tests}")
        session.exitstatus = 1
