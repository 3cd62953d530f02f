"""What templates may need on every page: brand, memberships, jurisdiction.

The shell itself (top bar, identity switch, menu) is drawn by `{% page_shell %}`, see
`shegong.core.shell`.
"""

from django.conf import settings


def shell(request) -> dict:
    user = getattr(request, "user", None)
    membership = getattr(user, "active_membership", None) if user else None
    return {
        "brand": settings.SHEGONG_BRAND,
        "active_membership": membership,
        "memberships": getattr(user, "memberships_cached", []) if user else [],
    }
