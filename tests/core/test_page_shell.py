"""The page shell (top bar, identity switch, menu) is rendered once per identity and reused:
it still carries each request's CSRF token and path, marks one menu item, and shows a change to
the user, the membership or the role on the next request."""

from __future__ import annotations

import re

import pytest

from shegong.accounts.models import Membership


def _shell(page) -> str:
    html = page.content.decode()
    return html[html.index("<header") : html.index('<div class="page-wrapper">')]


@pytest.mark.django_db
def test_shell_carries_this_requests_csrf_token_and_path(county_user, login):
    client = login(county_user)
    first = _shell(client.get("/people/?q=a%22b"))
    tokens = set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', first))
    assert len(tokens) == 1  # one masked token per page, in every form of the shell
    assert 'name="next" value="/people/?q=a%22b"' in first
    second = _shell(client.get("/orgs/"))
    assert 'name="next" value="/orgs/"' in second
    # The reused shell posts: switching language with its token is accepted.
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', second).group(1)
    client.handler.enforce_csrf_checks = True
    answer = client.post(
        "/i18n/setlang/", {"language": "en", "next": "/orgs/", "csrfmiddlewaretoken": token}
    )
    assert answer.status_code == 302


@pytest.mark.django_db
def test_path_is_escaped_in_the_shell(county_user, login):
    client = login(county_user)
    shell = _shell(client.get("/people/?a=1&b=2"))
    assert 'name="next" value="/people/?a=1&amp;b=2"' in shell


@pytest.mark.django_db
def test_one_menu_item_is_marked_the_longest_match(make_member, login):
    worker = make_member("station_worker", "440106001000", kind="sw_station")
    shell = _shell(login(worker).get("/people/visits/mine/"))
    active = re.findall(r'<a class="dropdown-item active" href="([^"]+)"', shell)
    assert active == ["/people/visits/mine/"]
    # and its group is marked on the top bar
    assert re.findall(r'class="nav-item dropdown active" data-testid="menu-(\w+)"', shell) == [
        "governance"
    ]


@pytest.mark.django_db
def test_changes_show_on_the_next_request(county_user, login):
    client = login(county_user)
    assert "天河区委社会工作部" in _shell(client.get("/orgs/"))

    county_user.full_name = "改名后的用户"
    county_user.save()
    membership = county_user.active_membership
    membership.organisation.name = "改名后的社会工作部"
    membership.organisation.save()
    shell = _shell(client.get("/orgs/"))
    assert "改名后的用户" in shell and "改名后的社会工作部" in shell

    Membership.objects.filter(pk=membership.pk).update(role="dept_leader")
    assert "部门领导" in _shell(client.get("/orgs/"))


@pytest.mark.django_db
def test_the_menu_follows_the_role(make_member, login):
    from shegong.core.permissions import role_has_perm

    assert role_has_perm("station_worker", "people.visit")
    assert not role_has_perm("dept_leader", "people.visit")
    worker = make_member("station_worker", "440106001000", kind="sw_station")
    leader = make_member("dept_leader", "440106000000")
    assert 'href="/people/visits/mine/"' in _shell(login(worker).get("/"))
    assert 'href="/people/visits/mine/"' not in _shell(login(leader).get("/"))


@pytest.mark.django_db
def test_menu_items_sit_in_groups_not_on_the_top_bar(make_member, login):
    """The top level is 首页 and the product's parts; every app's item is inside one of them."""
    from shegong.core import shell

    leader = make_member("dept_leader", "440106000000")
    html = _shell(login(leader).get("/"))
    menu = html[html.index('data-testid="main-menu"') :]
    top = re.findall(r'<li class="nav-item[^"]*"', menu)
    groups = re.findall(r'data-testid="menu-(\w+)"', menu)
    assert len(top) == 1 + len(groups) <= 1 + len(shell.NAV_GROUPS)
    assert groups == [k for k, _ in shell.NAV_GROUPS if k in groups]
    assert {"governance", "volunteering", "resources", "public", "system"} <= set(groups)
    items = shell.nav_items("dept_leader")
    assert len(items) > len(groups)
    for item in items:
        assert f'class="dropdown-item " href="{item.url}"' in menu or (
            f'class="dropdown-item active" href="{item.url}"' in menu
        )


def test_an_item_in_an_unknown_group_is_refused(settings):
    from django.apps import apps

    from shegong.core import shell

    config = apps.get_app_config("workdays")
    kept = config.nav_items
    try:
        config.nav_items = (("x", "workdays:list", "", "calendar", "toolbar"),)
        shell.clear()
        with pytest.raises(ValueError, match="unknown group toolbar"):
            shell.nav_items("dept_leader")
    finally:
        config.nav_items = kept
        shell.clear()
