"""Deny-by-default access for API routes, as `core.access` is for pages.

Every operation declares who may call it, right under its route decorator:

    router = Router(tags=["people 服务对象与探访"])

    @router.get("/residents", response=list[ResidentOut])
    @scoped("people.view")
    def resident_list(request, ...): ...

`scoped(perm)`: a caller whose active membership's role grants `perm` (403 otherwise; the data
inside is read through `visible_to`); `login_only`: any authenticated caller (their own inbox,
their own tokens); `public`: no authentication at all (also give the route `auth=None`). The
`Router` below refuses, when the module is imported, an operation that declares none of them:
forgetting a check fails loudly instead of leaking. tests/core/test_access_walk.py reads the
declarations of every served operation.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.exceptions import PermissionDenied
from ninja import Router as NinjaRouter
from ninja.errors import ConfigError

from shegong.core.access import ACCESS_ATTR, AUTHENTICATED, PUBLIC
from shegong.core.permissions import has_perm


def scoped(perm: str) -> Callable[[Callable], Callable]:
    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(request, *args: Any, **kwargs: Any):
            if not has_perm(request.user, perm):
                raise PermissionDenied(perm)
            return view(request, *args, **kwargs)

        setattr(wrapper, ACCESS_ATTR, f"perm:{perm}")
        wrapper.shegong_perm = perm
        return wrapper

    return decorator


def login_only(view: Callable) -> Callable:
    """Any authenticated caller (the API's authentication already refused everyone else)."""
    setattr(view, ACCESS_ATTR, AUTHENTICATED)
    return view


def public(view: Callable) -> Callable:
    """No authentication: data meant for the public. The route also needs `auth=None`."""
    setattr(view, ACCESS_ATTR, PUBLIC)
    return view


def access_of(view: Callable) -> str | None:
    return getattr(view, ACCESS_ATTR, None)


class Router(NinjaRouter):
    """A django-ninja router that refuses an operation with no declared access."""

    def add_api_operation(self, path: str, methods: list[str], view_func: Callable, **kwargs):
        access = access_of(view_func)
        if access is None:
            raise ConfigError(
                f"API route {methods} {path} ({view_func.__module__}.{view_func.__name__}) "
                "declares no access: put @scoped(perm), @login_only or @public under its route "
                "decorator."
            )
        if access == PUBLIC and kwargs.get("auth") is not None:
            raise ConfigError(f"API route {methods} {path} is @public but keeps authentication.")
        return super().add_api_operation(path, methods, view_func, **kwargs)
