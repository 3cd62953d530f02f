"""Signing in from tests, the second factor included.

`authenticator(user)` gives the user a confirmed TOTP authenticator (as enrolment would);
`code(device)` is what its app would show next; `sign_in(page, ...)` signs in through the real
form and, where the account has or needs an authenticator, types the code on the second step.
"""

from __future__ import annotations

from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page

from shegong.accounts.models import User
from shegong.accounts.signin.second_factor import (
    authenticator_of,
    code_for,
    requires_second_factor,
)

PASSWORD = "pass12345!"  # noqa: S105 - the factories' password


def authenticator(user: User) -> TOTPDevice:
    """The user's authenticator, set up now if they have none. Its tolerance lets one test sign
    the same account in several times within one 30-second step (each code is used once)."""
    device = authenticator_of(user)
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="test", confirmed=True, tolerance=10)
    return device


def code(device: TOTPDevice) -> str:
    device.refresh_from_db()
    return code_for(device)[0]


def verify_session(client, user: User) -> None:
    """Mark a test client's signed-in session as verified with the user's authenticator."""
    session = client.session
    session["otp_device_id"] = authenticator(user).persistent_id
    session.save()


def sign_in(page: Page, base_url: str, username: str, password: str = PASSWORD) -> None:
    """Sign in through the form; then, if asked, the authenticator's code."""
    user = User.objects.get(username=username)
    device = authenticator_of(user)
    if device is None and requires_second_factor(user):
        device = authenticator(user)
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("账号", exact=True).fill(username)
    page.get_by_label("密码", exact=True).fill(password)
    page.get_by_role("button", name="登录").click()
    if device is not None:
        page.get_by_label("验证码").fill(code(device))
        page.get_by_role("button", name="验证").click()
