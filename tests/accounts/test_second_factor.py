"""Two-factor sign-in: who must use it (by role, per province), enrolment before anything else,
a code at every sign-in once enrolled, single-use recovery codes, resets by an administrator,
tokens, and the demo's codes — each audited."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from shegong.accounts.models import SecondFactorRule
from shegong.accounts.signin.second_factor import forget_rules, requires_second_factor
from tests.accounts.conftest import audited
from tests.signin import authenticator, code

pytestmark = pytest.mark.django_db


def _enrol(client) -> tuple[TOTPDevice, list[str]]:
    """Go through the enrolment page as a person would (the code from the device's secret)."""
    page = client.get("/accounts/two-factor/enrol/")
    device = page.context["device"]
    assert device.key and page.context["secret"] in page.content.decode()
    assert "<svg" in page.context["qr_svg"]
    response = client.post(
        "/accounts/two-factor/enrol/", {"device": device.pk, "code": code(device)}
    )
    assert response.status_code == 200
    return device, response.context["codes"]


def test_a_leader_without_2fa_must_enrol_before_anything_else(client, sign_in, leader):
    assert sign_in(leader.username).status_code == 302
    for url in ("/", "/orgs/", "/people/", "/accounts/tokens/", "/accounts/profile/"):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/two-factor/enrol/"), url
    api = client.get("/api/v1/accounts/me")
    assert api.status_code == 403 and "双因素" in api.json()["errors"][0]["reason"]
    enrol = client.get("/accounts/two-factor/enrol/")
    assert enrol.status_code == 200 and "请先完成设置" in enrol.content.decode()

    device, codes = _enrol(client)
    assert len(codes) == 10 and StaticToken.objects.filter(device__user=leader).count() == 10
    assert client.get("/orgs/").status_code == 200
    assert client.get("/api/v1/accounts/me").status_code == 200
    [enrolled] = audited("otp_enrol")
    assert enrolled.actor == leader and enrolled.region_code == "440106000000"
    device.refresh_from_db()
    assert device.confirmed


def test_signing_out_is_allowed_before_enrolment(client, sign_in, leader):
    sign_in(leader.username)
    assert client.post("/accounts/logout/").status_code == 302
    assert client.get("/orgs/")["Location"].startswith("/accounts/login/")


def test_once_enrolled_a_code_is_required_at_sign_in(client, sign_in, leader):
    device = authenticator(leader)
    response = sign_in(leader.username)
    assert response["Location"] == "/accounts/login/verify/"
    assert client.get("/orgs/")["Location"].startswith("/accounts/login/")  # not signed in yet
    assert audited("login") == []

    wrong = client.post("/accounts/login/verify/", {"code": "000000"})
    assert "验证码不正确" in " ".join(wrong.context["form"].errors["code"])
    [failed] = audited("otp_failed")
    assert failed.actor == leader

    right = client.post("/accounts/login/verify/", {"code": code(device)})
    assert right.status_code == 302
    assert client.get("/orgs/").status_code == 200
    assert [a.actor for a in audited("login")] == [leader]


def test_a_code_cannot_be_used_twice(sign_in, leader):
    device = authenticator(leader)
    used = code(device)
    first, second = Client(), Client()
    first.post("/accounts/login/", {"username": leader.username, "password": "pass12345!"})
    assert first.post("/accounts/login/verify/", {"code": used}).status_code == 302
    second.post("/accounts/login/", {"username": leader.username, "password": "pass12345!"})
    again = second.post("/accounts/login/verify/", {"code": used})
    assert again.status_code == 200 and second.get("/orgs/").status_code == 302


def test_a_recovery_code_works_once(client, sign_in, login, leader):
    login(leader, second_factor=False)
    _device, codes = _enrol(client)
    client.post("/accounts/logout/")

    sign_in(leader.username)
    response = client.post("/accounts/login/verify/", {"code": codes[0]}, follow=True)
    assert "还剩 9 个" in response.content.decode()
    assert client.get("/orgs/").status_code == 200
    [used] = audited("recovery_code_used")
    assert used.actor == leader and used.detail == {"left": 9}
    client.post("/accounts/logout/")

    sign_in(leader.username)
    again = client.post("/accounts/login/verify/", {"code": codes[0]})
    assert again.status_code == 200
    assert client.get("/orgs/").status_code == 302


def test_wrong_codes_count_towards_the_lockout(client, sign_in, leader, settings):
    settings.SHEGONG_LOCKOUT_ACCOUNT_FAILURES = 3
    device = authenticator(leader)
    sign_in(leader.username)
    for _ in range(2):
        client.post("/accounts/login/verify/", {"code": "000000"})
    third = client.post("/accounts/login/verify/", {"code": "000000"})
    assert "该账号因多次登录失败已被锁定" in " ".join(third.context["form"].errors["code"])
    # the pending sign-in is dropped, and the account is locked at the password step too
    assert client.post("/accounts/login/verify/", {"code": code(device)}).status_code == 302
    assert client.get("/orgs/").status_code == 302
    assert "已被锁定" in sign_in(leader.username).content.decode()


@pytest.mark.parametrize(
    "role,required",
    [
        ("dept_leader", True),
        ("sysadmin", True),
        ("dept_staff", True),  # volunteers.reveal
        ("station_worker", True),  # people.reveal_id
        ("supervisor", True),  # people.reveal_id
        ("org_staff", False),
        ("mediator", False),
        ("volunteer", False),
    ],
)
def test_the_national_default_follows_roles_and_reveal_permissions(make_member, role, required):
    assert requires_second_factor(make_member(role, "440106000000")) is required


def test_a_province_rule_wins_over_the_national_one(make_member):
    guizhou = make_member("station_worker", "522722000000", kind="sw_station")
    guangdong = make_member("station_worker", "440106001000", kind="sw_station")
    hr = make_member("org_staff", "522722000000", kind="gov_department")
    SecondFactorRule.objects.create(province_code="52", role="station_worker", required=False)
    SecondFactorRule.objects.create(province_code="", role="org_staff", required=True)
    forget_rules()
    assert requires_second_factor(guizhou) is False
    assert requires_second_factor(guangdong) is True
    assert requires_second_factor(hr) is True


def test_an_administrator_edits_the_policy_in_the_product(client, login, make_member, leader):
    admin = make_member("sysadmin", "000000000000")
    assert login(leader).get("/accounts/two-factor/policy/").status_code == 403
    login(admin)
    page = client.get("/accounts/two-factor/policy/").content.decode()
    assert "贵州省" in page
    client.post(
        "/accounts/two-factor/policy/",
        {"province_code": "52", "role": "dept_staff", "required": "0"},
    )
    rule = SecondFactorRule.objects.get(province_code="52", role="dept_staff")
    assert rule.required is False
    [change] = audited("permission_change")
    assert change.actor == admin and change.region_code == "520000000000"
    libo = make_member("dept_staff", "522722000000")
    assert requires_second_factor(libo) is False  # the saving process forgot its old rules
    client.post("/accounts/two-factor/policy/", {"delete": rule.pk})
    assert not SecondFactorRule.objects.exists()
    assert requires_second_factor(libo) is True


def test_a_rule_is_changed_only_by_an_administrator_covering_its_province(
    client, login, make_member
):
    """A rule binds every user of its province: a county's administrator may neither set nor
    remove one (of another province, of its own, or the national default); a province's may
    for its own province only."""
    guizhou_rule = SecondFactorRule.objects.create(
        province_code="52", role="dept_staff", required=False
    )
    county_admin = make_member("sysadmin", "441881000000")
    login(county_admin)
    page = client.get("/accounts/two-factor/policy/")
    assert page.status_code == 200
    assert page.context["form"].fields["province_code"].choices == []
    assert "贵州省" in page.content.decode()  # the country's policy is shown, not changeable
    assert f'name="delete" value="{guizhou_rule.pk}"' not in page.content.decode()
    for data in (
        {"province_code": "52", "role": "dept_staff", "required": "1"},
        {"province_code": "44", "role": "dept_staff", "required": "0"},
        {"province_code": "", "role": "dept_staff", "required": "0"},
        {"delete": guizhou_rule.pk},
    ):
        response = client.post("/accounts/two-factor/policy/", data)
        assert response.status_code == 200, data
        assert response.context["form"].errors, data
    guizhou_rule.refresh_from_db()
    assert guizhou_rule.required is False
    assert list(SecondFactorRule.objects.values_list("province_code", flat=True)) == ["52"]
    assert audited("permission_change") == []

    province_admin = make_member("sysadmin", "440000000000")
    login(province_admin)
    page = client.get("/accounts/two-factor/policy/")
    assert [code for code, _name in page.context["form"].fields["province_code"].choices] == ["44"]
    client.post(
        "/accounts/two-factor/policy/",
        {"province_code": "44", "role": "station_worker", "required": "0"},
    )
    assert SecondFactorRule.objects.filter(province_code="44", required=False).exists()
    response = client.post("/accounts/two-factor/policy/", {"delete": guizhou_rule.pk})
    assert "只能由管辖范围覆盖该省" in response.content.decode()
    assert SecondFactorRule.objects.filter(pk=guizhou_rule.pk).exists()


def test_a_leader_resets_a_lost_authenticator_of_the_jurisdiction_only(
    client, login, leader, county_user, other_county_user
):
    authenticator(county_user)
    authenticator(other_county_user)
    login(leader)
    detail = client.get(f"/accounts/users/{county_user.pk}/").content.decode()
    assert "重置双因素认证" in detail
    client.post(f"/accounts/users/{county_user.pk}/reset-two-factor/")
    assert not TOTPDevice.objects.filter(user=county_user).exists()
    [reset] = audited("otp_reset")
    assert reset.actor == leader and reset.object_id == str(county_user.pk)
    outside = client.post(f"/accounts/users/{other_county_user.pk}/reset-two-factor/")
    assert outside.status_code == 404
    assert TOTPDevice.objects.filter(user=other_county_user).exists()

    # The user's own session, verified with the deleted device, must enrol again.
    own = Client()
    own.force_login(county_user)
    response = own.get("/orgs/")
    assert response["Location"].startswith("/accounts/two-factor/enrol/")


def test_tokens_are_made_by_a_verified_session_and_ask_for_no_code(client, login, make_member):
    hr = make_member("org_staff", "440106000000", kind="gov_department")
    login(hr, second_factor=False)
    refused = client.post(
        "/accounts/tokens/", {"name": "报表", "membership": hr.active_membership.pk}
    )
    assert "请先启用双因素认证" in refused.content.decode()
    assert not hr.active_membership.tokens.exists()
    login(hr)
    made = client.post(
        "/accounts/tokens/",
        {"name": "报表", "membership": hr.active_membership.pk, "scope": "read", "days": 30},
    )
    raw = made.context["new_token"]
    me = Client().get("/api/v1/accounts/me", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert me.status_code == 200


def test_the_admin_signs_in_through_the_platform_form(client):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/admin/"


def test_demo_accounts_come_with_an_authenticator_and_demo_otp_prints_its_code(client, settings):
    call_command("demo", only=["orgs", "accounts", "two_factor"], stdout=StringIO())
    out = StringIO()
    call_command("demo_logins", stdout=out)
    assert "demo_otp" in out.getvalue()
    for username in ("guangdong", "tianhe", "worker", "admin"):
        out = StringIO()
        call_command("demo_otp", username, stdout=out, stderr=StringIO())
        client.post("/accounts/login/", {"username": username, "password": "Shegong@2026"})
        response = client.post("/accounts/login/verify/", {"code": out.getvalue().strip()})
        assert response.status_code == 302, username
        assert client.get("/").status_code == 200, username
        client.post("/accounts/logout/")


def test_demo_otp_refuses_other_accounts_and_other_settings(leader, settings):
    authenticator(leader)
    with pytest.raises(CommandError, match="demo"):
        call_command("demo_otp", leader.username, stdout=StringIO())
    call_command("demo", only=["orgs", "accounts", "two_factor"], stdout=StringIO())
    settings.SHEGONG_DEMO_OTP = False
    with pytest.raises(CommandError, match="demo"):
        call_command("demo_otp", "guangdong", stdout=StringIO())


def test_reset_command_is_audited(leader):
    authenticator(leader)
    call_command("reset_two_factor", leader.username, stdout=StringIO())
    assert not TOTPDevice.objects.filter(user=leader).exists()
    [reset] = audited("otp_reset")
    assert reset.actor is None and reset.actor_name.startswith("command:")
