"""Helpers shared by the apps' API routers."""

from django.core.exceptions import PermissionDenied

from shegong.core.permissions import has_perm


def require_perm(request, perm: str) -> None:
    """The same role check the pages make with @scoped."""
    if not has_perm(request.user, perm):
        raise PermissionDenied(perm)
