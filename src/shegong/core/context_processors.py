"""What the page shell needs on every page: brand, navigation, memberships, jurisdiction."""

from django.apps import apps
from django.conf import settings
from django.urls import NoReverseMatch, reverse

from shegong.core.permissions import has_perm


def navigation(request) -> list[dict]:
    items = []
    user = getattr(request, "user", None)
    for config in apps.get_app_configs():
        for item in getattr(config, "nav_items", ()):
            label, url_name, perm, icon = item
            if perm and not has_perm(user, perm):
                continue
            try:
                url = reverse(url_name)
            except NoReverseMatch:
                continue
            items.append(
                {
                    "label": label,
                    "url": url,
                    "icon": icon,
                    "active": request.path.startswith(url) and url != "/",
                }
            )
    return items


def shell(request) -> dict:
    user = getattr(request, "user", None)
    membership = getattr(user, "active_membership", None) if user else None
    return {
        "brand": settings.SHEGONG_BRAND,
        "nav_items": navigation(request) if user and user.is_authenticated else [],
        "active_membership": membership,
        "memberships": getattr(user, "memberships_cached", []) if user else [],
    }
