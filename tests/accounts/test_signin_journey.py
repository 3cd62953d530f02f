"""Browser journey in real Chromium: a department leader signs in, must set up an authenticator
first (the code computed here from the secret the page shows), keeps the recovery codes, signs
out, and signs in again with a code; the previous sign-in is shown."""

from __future__ import annotations

import time
from base64 import b32decode

import pytest
from django_otp.oath import hotp
from playwright.sync_api import expect

from tests.factories import MembershipFactory, OrganisationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def leader(live_server):
    dept = OrganisationFactory(name="天河区委社会工作部", region_id="440106000000")
    return MembershipFactory(
        organisation=dept, role="dept_leader", user__username="leader_e2e", user__full_name="陈领导"
    ).user


def code_at(secret: str, step: int) -> str:
    """What an authenticator app shows for `step` (30-second steps since 1970)."""
    key = b32decode(secret.replace(" ", ""))
    return f"{hotp(key, step):06d}"


def open_user_menu(page) -> None:
    """Open the user menu once its script has loaded (a click before that opens nothing)."""
    page.wait_for_load_state("load")
    menu = page.get_by_test_id("user-menu")
    for _attempt in range(3):
        menu.click()
        if menu.get_attribute("aria-expanded") == "true":
            return
        page.wait_for_timeout(500)
    expect(menu).to_have_attribute("aria-expanded", "true")


def password_step(page, url: str) -> None:
    page.goto(f"{url}/accounts/login/")
    page.get_by_label("账号").fill("leader_e2e")
    page.get_by_label("密码").fill("pass12345!")
    page.get_by_role("button", name="登录").click()


def test_leader_enrols_an_authenticator_and_signs_in_with_a_code(page, live_server, leader):
    url = live_server.url
    password_step(page, url)

    # Nothing else opens before the authenticator is set up.
    expect(page.get_by_role("heading", name="设置双因素认证")).to_be_visible()
    expect(page.get_by_test_id("otp-required")).to_be_visible()
    expect(page.get_by_test_id("otp-qr").locator("svg")).to_be_visible()
    page.goto(f"{url}/people/")
    expect(page.get_by_role("heading", name="设置双因素认证")).to_be_visible()

    secret = page.get_by_test_id("otp-secret").inner_text()
    enrol_step = int(time.time()) // 30
    page.get_by_label("验证码").fill(code_at(secret, enrol_step))
    page.get_by_role("button", name="完成设置").click()
    expect(page.get_by_text("双因素认证已启用")).to_be_visible()
    expect(page.get_by_test_id("recovery-codes").locator("code")).to_have_count(10)
    page.get_by_role("link", name="我已保存，继续").click()
    expect(page.get_by_test_id("jurisdiction")).to_contain_text("天河区")

    # Sign out from the user menu, and back in: now the code is asked for.
    open_user_menu(page)
    page.get_by_role("button", name="退出登录").click()
    password_step(page, url)
    expect(page.get_by_role("heading", name="双因素验证")).to_be_visible()
    page.get_by_label("验证码").fill("000000")
    page.get_by_role("button", name="验证").click()
    expect(page.get_by_test_id("error-code")).to_contain_text("验证码不正确")
    # A code is used once: the next one is for a later step than the enrolment's.
    step = max(int(time.time()) // 30, enrol_step + 1)
    page.get_by_label("验证码").fill(code_at(secret, step))
    page.get_by_role("button", name="验证").click()
    expect(page.get_by_test_id("jurisdiction")).to_contain_text("天河区")
    expect(page.get_by_role("alert").filter(has_text="上次登录")).to_contain_text("来自 127.0.0.1")

    # The profile, reached from the user menu, shows it too, and the authenticator.
    open_user_menu(page)
    page.get_by_role("link", name="我的账号").click()
    expect(page.get_by_test_id("previous-sign-in")).to_contain_text("来自 127.0.0.1")
    expect(page.get_by_text("已启用")).to_be_visible()
