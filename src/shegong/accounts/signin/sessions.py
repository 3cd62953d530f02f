"""Completed sign-ins and session lifetime.

A session ends after `SHEGONG_SESSION_IDLE_MINUTES` without a request and in any case
`SHEGONG_SESSION_MAX_HOURS` after sign-in; the expiry is audited once (SESSION_EXPIRED) when the
next request finds it. The last request time is written at most once a minute, so an active
session costs one session write a minute, not one a request.

Each sign-in moves the account's last sign-in (time and address) to "previous", which is what
"上次登录：… 来自 …" shows.
"""

from __future__ import annotations

import ipaddress
import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from shegong.accounts.models import User
from shegong.core.audit import audit_record, client_ip
from shegong.core.models import AuditLog

UNSCOPED_READS = "Sign-in runs before any jurisdiction is chosen: it reads and stamps only the account that is signing in."

SIGNED_IN_AT = "sg_signed_in_at"
SEEN_AT = "sg_seen_at"
PASSWORD_EXPIRED = "sg_password_expired"
PENDING = "sg_signin_pending"  # the password step passed, the second factor not yet
PENDING_SECONDS = 300
SEEN_RESOLUTION = 60  # seconds between writes of the last request time


def home_region(user) -> str:
    """The region of the user's first active membership ("" without one)."""
    if user is None:
        return ""
    memberships = getattr(user, "memberships_cached", None)
    if memberships is None:
        from shegong.accounts.selectors import active_memberships

        memberships = active_memberships(user.pk)
    return memberships[0].organisation.region_id if memberships else ""


def _valid_ip(value: str | None) -> str | None:
    try:
        return str(ipaddress.ip_address((value or "").strip()))
    except ValueError:
        return None


def previous_sign_in_text(user) -> str:
    """ "上次登录：<time> 来自 <address>" of the sign-in before this one ("" for a first one)."""
    if user.previous_login is None:
        return ""
    return _("上次登录：%(time)s 来自 %(address)s") % {
        "time": date_format(timezone.localtime(user.previous_login), "Y-m-d H:i"),
        "address": user.previous_login_ip or _("未知地址"),
    }


def on_signed_in(sender, request, user, **kwargs) -> None:
    """`user_logged_in` receiver (in place of Django's `update_last_login`): keep the previous
    sign-in, stamp this one, and start the session's clocks."""
    now = timezone.now()
    address = _valid_ip(client_ip(request))
    User.objects.filter(pk=user.pk).update(
        previous_login=user.last_login,
        previous_login_ip=user.last_login_ip,
        last_login=now,
        last_login_ip=address,
    )
    user.previous_login, user.previous_login_ip = user.last_login, user.last_login_ip
    user.last_login, user.last_login_ip = now, address
    session = getattr(request, "session", None)
    if session is not None:
        stamp = int(time.time())
        session[SIGNED_IN_AT] = stamp
        session[SEEN_AT] = stamp


# ---- the sign-in between its two steps ------------------------------------------------------


def pending_start(request, user, *, next_url: str) -> None:
    """The password was right; the account has an authenticator. Nobody is signed in yet."""
    request.session.cycle_key()
    request.session[PENDING] = {
        "user": user.pk,
        "backend": getattr(user, "backend", None),
        "at": int(time.time()),
        "next": next_url,
    }


def pending_user(request):
    """(user, pending) of a sign-in waiting for its second factor, or (None, None)."""
    pending = request.session.get(PENDING)
    if not pending or int(time.time()) - pending.get("at", 0) > PENDING_SECONDS:
        pending_clear(request)
        return None, None
    user = User.objects.filter(pk=pending.get("user"), is_active=True).first()
    return (user, pending) if user is not None else (None, None)


def pending_clear(request) -> None:
    request.session.pop(PENDING, None)


# ---- services -------------------------------------------------------------------------------


def signin_complete(request, user, *, device=None, backend: str | None = None) -> None:
    """Sign the user in (both factors done): the session, the verified device, the lockout count
    cleared, the previous sign-in shown, and a password past its age flagged for a change."""
    from shegong.accounts.signin.lockout import lockout_clear_account
    from shegong.accounts.signin.passwords import password_expired

    if device is not None:
        user.otp_device = device  # django-otp keeps it in the session on login
    auth_login(request, user, backend=backend)
    lockout_clear_account(username=user.get_username())
    text = previous_sign_in_text(user)
    if text:
        messages.info(request, text)
    if password_expired(user):
        request.session[PASSWORD_EXPIRED] = True


def session_expiry(request) -> str | None:
    """ "idle" or "absolute" when the signed-in session has run out; stamps the request time."""
    session = request.session
    now = int(time.time())
    signed_in_at, seen_at = session.get(SIGNED_IN_AT), session.get(SEEN_AT)
    if signed_in_at is None or seen_at is None:  # signed in before these clocks existed
        session[SIGNED_IN_AT] = signed_in_at or now
        session[SEEN_AT] = now
        return None
    if now - signed_in_at > settings.SHEGONG_SESSION_MAX_HOURS * 3600:
        return "absolute"
    if now - seen_at > settings.SHEGONG_SESSION_IDLE_MINUTES * 60:
        return "idle"
    if now - seen_at >= SEEN_RESOLUTION:
        session[SEEN_AT] = now
    return None


def session_expire(request, *, reason: str) -> None:
    """End an expired session: audited once (the session is gone afterwards), and the person is
    told why on the sign-in page."""
    user = request.user
    audit_record(
        action=AuditLog.Action.SESSION_EXPIRED,
        actor=user,
        region_code=home_region(user),
        detail={"reason": reason},
        request=request,
    )
    request.session.flush()
    request.user = AnonymousUser()
    if reason == "idle":
        text = _("您已 %(n)d 分钟没有操作，为了安全请重新登录。") % {
            "n": settings.SHEGONG_SESSION_IDLE_MINUTES
        }
    else:
        text = _("登录已超过 %(n)d 小时，为了安全请重新登录。") % {
            "n": settings.SHEGONG_SESSION_MAX_HOURS
        }
    messages.warning(request, text)
