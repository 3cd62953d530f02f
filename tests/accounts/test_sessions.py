"""Sessions end after 30 idle minutes and 12 hours in any case (audited once), and each sign-in
shows where and when the previous one came from."""

from __future__ import annotations

import time

import pytest

from shegong.accounts.signin.sessions import SEEN_AT, SIGNED_IN_AT
from tests.accounts.conftest import audited

pytestmark = pytest.mark.django_db


def _age(client, *, seen_minutes: float = 0, signed_in_hours: float = 0) -> None:
    session = client.session
    now = int(time.time())
    session[SEEN_AT] = now - int(seen_minutes * 60)
    session[SIGNED_IN_AT] = now - int(signed_in_hours * 3600)
    session.save()


def test_an_idle_session_expires_and_is_audited_once(client, login, county_user):
    login(county_user)
    _age(client, seen_minutes=29)
    assert client.get("/orgs/").status_code == 200
    _age(client, seen_minutes=31)
    response = client.get("/orgs/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    page = client.get(response["Location"]).content.decode()
    assert "30 分钟没有操作" in page
    assert client.get("/orgs/").status_code == 302
    [expired] = audited("session_expired")
    assert expired.actor == county_user and expired.detail == {"reason": "idle"}


def test_the_idle_time_is_a_setting(client, login, county_user, settings):
    settings.SHEGONG_SESSION_IDLE_MINUTES = 5
    login(county_user)
    _age(client, seen_minutes=6)
    assert client.get("/orgs/").status_code == 302


def test_a_session_ends_after_its_absolute_lifetime_even_when_active(client, login, county_user):
    login(county_user)
    _age(client, seen_minutes=1, signed_in_hours=11.9)
    assert client.get("/orgs/").status_code == 200
    _age(client, seen_minutes=1, signed_in_hours=12.1)
    assert client.get("/orgs/").status_code == 302
    [expired] = audited("session_expired")
    assert expired.detail == {"reason": "absolute"}


def test_an_expired_api_session_gets_401(client, login, county_user):
    login(county_user)
    _age(client, seen_minutes=31)
    assert client.get("/api/v1/accounts/me").status_code == 401
    assert len(audited("session_expired")) == 1


def test_the_previous_sign_in_is_shown_after_signing_in_and_on_the_profile(
    client, sign_in, make_member
):
    hr = make_member("org_staff", "440106000000", kind="gov_department")  # no 2FA needed
    sign_in(hr.username, REMOTE_ADDR="10.8.0.7")
    first = client.get("/").content.decode()
    assert "上次登录" not in first
    client.post("/accounts/logout/")
    sign_in(hr.username, REMOTE_ADDR="10.8.0.9")
    hr.refresh_from_db()
    shown = client.get("/").content.decode()
    assert "上次登录" in shown and "来自 10.8.0.7" in shown
    profile = client.get("/accounts/profile/").content.decode()
    assert "来自 10.8.0.7" in profile
    assert hr.last_login_ip == "10.8.0.9" and hr.previous_login_ip == "10.8.0.7"
