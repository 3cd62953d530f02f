"""Deny-by-default access policy for views.

Every view must declare who may reach it: `@public` (anyone, no login) or
`@scoped("perm.name")` (a logged-in user with an active membership whose role grants the
permission; the data inside is read through `visible_to`). A view with no declaration is refused
by `AccessPolicyMiddleware` — forgetting a check fails loudly instead of leaking.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseForbidden

from shegong.core.permissions import has_perm

ACCESS_ATTR = "shegong_access"
PUBLIC = "public"
AUTHENTICATED = "authenticated"

# Views that bring their own access control (Django admin checks for system administrators;
# django-ninja checks each operation's auth, proven by tests/core/test_access_walk.py).
SELF_GUARDED_MODULES = ("django.contrib.admin", "ninja", "django.contrib.staticfiles")
SELF_GUARDED_NAMESPACES = {"admin", "api"}


def public(view: Callable) -> Callable:
    """Reachable without login. Use only for pages meant for the public."""
    setattr(view, ACCESS_ATTR, PUBLIC)
    return view


def login_only(view: Callable) -> Callable:
    """Any logged-in user, membership or not (profile, membership switch, logout)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
        return view(request, *args, **kwargs)

    setattr(wrapper, ACCESS_ATTR, AUTHENTICATED)
    return wrapper


def scoped(perm: str) -> Callable[[Callable], Callable]:
    """A logged-in user whose active membership's role grants `perm`."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
            if not has_perm(request.user, perm):
                raise PermissionDenied(perm)
            return view(request, *args, **kwargs)

        setattr(wrapper, ACCESS_ATTR, f"perm:{perm}")
        wrapper.shegong_perm = perm
        return wrapper

    return decorator


def access_of(view: Callable) -> str | None:
    """The declared access of a view function (or of a class-based view's class)."""
    value = getattr(view, ACCESS_ATTR, None)
    if value is None and hasattr(view, "view_class"):
        value = getattr(view.view_class, ACCESS_ATTR, None)
    return value


def is_self_guarded(view: Callable) -> bool:
    module = getattr(view, "__module__", "") or ""
    return module.startswith(SELF_GUARDED_MODULES)


class AccessPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if access_of(view_func) is not None or is_self_guarded(view_func):
            return None
        match = getattr(request, "resolver_match", None)
        if match is not None and SELF_GUARDED_NAMESPACES & set(match.namespaces):
            return None
        return HttpResponseForbidden("This view has not declared its access policy.")
