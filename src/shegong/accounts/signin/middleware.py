"""The sign-in policy on every request of a signed-in session, after the identity is known:

1. an idle or too old session ends (audited once) and the person signs in again;
2. a user who must use two-factor sign-in and has not verified this session goes to enrolment
   (no authenticator yet) or to the code page, from every page but those and signing out; the
   API with session authentication refuses instead (`shegong.api.MembershipSessionAuth`);
3. a password past its maximum age (when one is set) is changed before anything else.

API calls with a personal access token carry no session and are not affected: tokens are made
by a verified session and are not asked for a code.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from shegong.accounts.signin import second_factor, sessions

# Reachable by a signed-in person before the second factor (and before a password change).
BEFORE_SECOND_FACTOR = {
    "accounts:logout",
    "accounts:login",
    "accounts:login_verify",
    "accounts:otp_enrol",
    "set_language",
    "javascript-catalog",
}
BEFORE_PASSWORD_CHANGE = BEFORE_SECOND_FACTOR | {"accounts:password_change"}


def second_factor_pending(request) -> bool:
    """The session's user must use two-factor sign-in and has not (enrolled or verified)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or second_factor.is_verified(user):
        return False
    return second_factor.requires_second_factor(user)


def _go(request, url: str) -> HttpResponse:
    if request.headers.get("HX-Request"):
        response = HttpResponse(status=200)
        response["HX-Redirect"] = url
        return response
    return redirect(url)


class SignInPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not hasattr(request, "session"):
            return None
        match = request.resolver_match
        is_api = "api" in match.namespaces
        reason = sessions.session_expiry(request)
        if reason is not None:
            sessions.session_expire(request, reason=reason)
            if is_api:
                return None  # the API answers 401 to the now anonymous request
            if request.headers.get("HX-Request"):
                return _go(request, redirect_to_login(request.get_full_path())["Location"])
            return redirect_to_login(request.get_full_path())
        if is_api or match.view_name in BEFORE_SECOND_FACTOR:
            return None
        if second_factor_pending(request):
            if second_factor.has_second_factor(user):
                return _go(request, _with_next("accounts:login_verify", request))
            return _go(request, _with_next("accounts:otp_enrol", request))
        if (
            request.session.get(sessions.PASSWORD_EXPIRED)
            and match.view_name not in BEFORE_PASSWORD_CHANGE
        ):
            messages.warning(request, _("您的密码已到期，请先修改密码。"))
            return _go(request, _with_next("accounts:password_change", request))
        return None


def _with_next(url_name: str, request) -> str:
    from urllib.parse import urlencode

    from django.urls import reverse

    url = reverse(url_name)
    if request.method == "GET":
        url += "?" + urlencode({"next": request.get_full_path()})
    return url
