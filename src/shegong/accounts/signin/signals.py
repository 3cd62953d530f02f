"""Signal receivers of sign-in (connected in `AccountsConfig.ready`)."""

from __future__ import annotations


def on_login_failed(sender, credentials, request=None, **kwargs) -> None:
    """A failed password sign-in counts towards the lockout (not one refused because locked)."""
    if request is None or getattr(request, "signin_refused_locked", False):
        return
    from django.contrib.auth import get_user_model

    from shegong.accounts.signin.lockout import lockout_record_failure

    username = credentials.get(get_user_model().USERNAME_FIELD) or credentials.get("username")
    locks = lockout_record_failure(username=str(username or ""), request=request)
    if locks:
        request.signin_locks = locks


def connect() -> None:
    from django.contrib.auth.signals import user_logged_in, user_login_failed

    from shegong.accounts.signin.sessions import on_signed_in

    # Django's `update_last_login` is replaced by one that also keeps the previous sign-in.
    user_logged_in.disconnect(dispatch_uid="update_last_login")
    user_logged_in.connect(on_signed_in, dispatch_uid="shegong_signed_in")
    user_login_failed.connect(on_login_failed, dispatch_uid="shegong_lockout")
