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
from django.utils.translation import get_language

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


_nav_cache: dict[tuple, tuple[NavItem, ...]] = {}
_fragments: OrderedDict[tuple, tuple[float, str]] = OrderedDict()
_lock = threading.Lock()


def nav_items(role: str | None) -> tuple[NavItem, ...]:
    """The menu a role sees (each app's `nav_items`, where the role holds the permission),
    in the current language."""
    key = (role, get_language(), get_script_prefix())
    items = _nav_cache.get(key)
    if items is not None:
        return items
    found = []
    for config in apps.get_app_configs():
        for label, url_name, perm, icon in getattr(config, "nav_items", ()):
            if perm and (role is None or not role_has_perm(role, perm)):
                continue
            try:
                url = reverse(url_name)
            except NoReverseMatch:
                continue
            found.append(NavItem(str(label), url, icon))
    items = _nav_cache[key] = tuple(found)
    return items


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
        html = render_to_string(
            "core/_shell.html",
            {
                "brand": settings.SHEGONG_BRAND,
                "user": user,
                "active_membership": membership,
                "memberships": getattr(user, "memberships_cached", []),
                "nav_items": [
                    {"label": item.label, "url": item.url, "active": i == active}
                    for i, item in enumerate(items)
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
