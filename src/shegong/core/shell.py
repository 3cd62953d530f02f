"""The page shell: top bar, current identity (membership switch and jurisdiction) and navigation.

The shell is the same on every page a user opens under one identity, so it is rendered once per
user, identity, language and active menu item and reused for a few minutes; the values that change
with each request (the CSRF token and the current path in the language and identity forms) are
filled in afterwards. Rendering it afresh took longer than the database work of a small page such
as "my visits".

The key holds everything the fragment shows that can change while the server runs (names, roles,
organisations, the identity chosen, the menu the role may see), so an edit shows on the next
request; only a renamed ancestor region (a statutory change) can take up to `TTL_SECONDS` to show.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, get_script_prefix, reverse
from django.utils.html import escape
from django.utils.translation import get_language, pgettext_lazy

from shegong.core.permissions import role_has_perm

TTL_SECONDS = 300
MAX_FRAGMENTS = 4096
# Placeholders put where the per-request values go; letters and digits only, so escaping in the
# template leaves them as they are.
CSRF_MARK = "sgshellcsrfmark"
NEXT_MARK = "sgshellnextmark"


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    icon: str
    group: str = "system"


# The menu's top level: the product's parts, in this order. Each app's `nav_items` go into one of
# them (`AppConfig.nav_group`, or an item's fifth element), never onto the top bar itself, so the
# bar stays one line however many modules are added. A group with nothing the role may open is
# not shown.
NAV_GROUPS: tuple[tuple[str, object], ...] = (
    ("leading", pgettext_lazy("menu", "统筹督办")),
    ("party", pgettext_lazy("menu", "党建引领")),
    ("governance", pgettext_lazy("menu", "基层治理")),
    ("volunteering", pgettext_lazy("menu", "志愿服务")),
    ("resources", pgettext_lazy("menu", "资源")),
    ("reporting", pgettext_lazy("menu", "统计报表")),
    ("workforce", pgettext_lazy("menu", "队伍")),
    ("public", pgettext_lazy("menu", "门户与公开")),
    ("system", pgettext_lazy("menu", "系统")),
)
GROUP_KEYS = frozenset(key for key, _label in NAV_GROUPS)


@dataclass(frozen=True)
class NavGroup:
    key: str
    label: str
    items: tuple[NavItem, ...]


_nav_cache: dict[tuple, tuple[NavItem, ...]] = {}
_fragments: OrderedDict[tuple, tuple[float, str]] = OrderedDict()
_lock = threading.Lock()


def nav_items(role: str | None) -> tuple[NavItem, ...]:
    """The menu a role sees (each app's `nav_items`, where the role holds the permission),
    in the current language, in the order of the groups."""
    key = (role, get_language(), get_script_prefix())
    items = _nav_cache.get(key)
    if items is not None:
        return items
    found = []
    for config in apps.get_app_configs():
        for entry in getattr(config, "nav_items", ()):
            label, url_name, perm, icon = entry[:4]
            group = entry[4] if len(entry) > 4 else getattr(config, "nav_group", "system")
            if group not in GROUP_KEYS:
                raise ValueError(f"{config.label}: menu item {url_name} in unknown group {group}")
            if perm and (role is None or not role_has_perm(role, perm)):
                continue
            try:
                url = reverse(url_name)
            except NoReverseMatch:
                continue
            found.append(NavItem(str(label), url, icon, group))
    order = {key: i for i, (key, _label) in enumerate(NAV_GROUPS)}
    found.sort(key=lambda item: order[item.group])  # stable: apps' order inside a group
    items = _nav_cache[key] = tuple(found)
    return items


def nav_groups(items: tuple[NavItem, ...]) -> tuple[NavGroup, ...]:
    """The groups that hold at least one of `items`, each with its items."""
    return tuple(
        NavGroup(key, str(label), tuple(i for i in items if i.group == key))
        for key, label in NAV_GROUPS
        if any(i.group == key for i in items)
    )


def _identity(request) -> tuple:
    user = request.user
    if not user.is_authenticated:
        return (None,)
    active = getattr(user, "active_membership", None)
    memberships = getattr(user, "memberships_cached", [])
    return (
        user.pk,
        user.username,
        user.full_name,
        user.is_superuser,
        active.pk if active else None,
        tuple(
            (m.pk, m.role, m.organisation_id, m.organisation.name, m.organisation.region_id)
            for m in memberships
        ),
    )


def header_html(request, csrf_token: str | None = None) -> str:
    """The shell's HTML for this request (`csrf_token`: the page's, so that one page carries
    one masked token)."""
    user = request.user
    membership = getattr(user, "active_membership", None) if user.is_authenticated else None
    items = nav_items(membership.role if membership else None) if user.is_authenticated else ()
    path = request.path
    # The menu item whose address is the longest start of this page's (/people/visits/mine/
    # marks 我的探访, not also 服务对象 at /people/).
    matching = [i for i, item in enumerate(items) if item.url != "/" and path.startswith(item.url)]
    active = max(matching, key=lambda i: len(items[i].url)) if matching else None
    is_home = getattr(getattr(request, "resolver_match", None), "url_name", None) == "home"
    key = (get_language(), get_script_prefix(), _identity(request), active, is_home)
    now = time.monotonic()
    with _lock:
        cached = _fragments.get(key)
        if cached is not None and cached[0] > now:
            _fragments.move_to_end(key)
            html = cached[1]
        else:
            html = None
    if html is None:
        marked = items[active] if active is not None else None
        html = render_to_string(
            "core/_shell.html",
            {
                "brand": settings.SHEGONG_BRAND,
                "user": user,
                "active_membership": membership,
                "memberships": getattr(user, "memberships_cached", []),
                "nav_groups": [
                    {
                        "key": group.key,
                        "label": group.label,
                        "active": active is not None and items[active].group == group.key,
                        "items": [
                            {"label": item.label, "url": item.url, "active": item is marked}
                            for item in group.items
                        ],
                    }
                    for group in nav_groups(items)
                ],
                "is_home": is_home,
                "csrf_token": CSRF_MARK,
                "next_path": NEXT_MARK,
            },
        )
        with _lock:
            _fragments[key] = (now + TTL_SECONDS, html)
            _fragments.move_to_end(key)
            while len(_fragments) > MAX_FRAGMENTS:
                _fragments.popitem(last=False)
    return html.replace(CSRF_MARK, csrf_token or get_token(request)).replace(
        NEXT_MARK, escape(request.get_full_path())
    )


def clear() -> None:
    """Forget every rendered shell and menu (tests; after changing roles' permissions)."""
    with _lock:
        _fragments.clear()
    _nav_cache.clear()
