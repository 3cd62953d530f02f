"""Elder mode (适老化): larger type, higher contrast and a plainer layout, for whoever asks.

The choice is a cookie, like the language: read on the server, so every page is rendered already
in the mode (`class="sg-elder"` on `<html>`, no flash of the ordinary page) and the switch is a
plain form that works without JavaScript. The looks live in `static/shegong/elder.css`.
"""

from __future__ import annotations

from django.conf import settings
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from shegong.core.access import public

COOKIE = "sg_elder"
MAX_AGE = 365 * 24 * 60 * 60  # remembered for a year, across visits


def is_on(request) -> bool:
    return request.COOKIES.get(COOKIE) == "1"


def context_processor(request) -> dict:
    """`{{ elder_mode }}` in templates."""
    return {"elder_mode": is_on(request)}


@public
@require_POST
def switch(request):
    """Turns elder mode on (`on=1`) or off, then goes back to the page the switch was on."""
    target = request.POST.get("next", "")
    if not (
        target.startswith("/")
        and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        target = "portal:home"
    response = redirect(target)
    if request.POST.get("on") == "1":
        response.set_cookie(
            COOKIE,
            "1",
            max_age=MAX_AGE,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=True,
            samesite="Lax",
        )
    else:
        response.delete_cookie(COOKIE, samesite="Lax")
    return response
