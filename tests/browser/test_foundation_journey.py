"""Browser journey in real Chromium: a county user logs in, switches language, drills down the
region tree, creates an organisation (an invalid credit code is refused next to the field),
corrects it, and finds it in the list and in its history."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import MembershipFactory, OrganisationFactory
from tests.people.journey_utils import nav
from tests.signin import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def county_staff(live_server):
    dept = OrganisationFactory(name="天河区委社会工作部", region_id="440106000000")
    return MembershipFactory(organisation=dept, role="dept_staff", user__username="tianhe_e2e").user


def log_in(page, live_server, username):
    page.goto(f"{live_server.url}/accounts/login/")
    expect(page.get_by_role("heading", name="登录您的账号")).to_be_visible()
    sign_in(page, live_server.url, username)
    expect(page.get_by_test_id("jurisdiction")).to_contain_text("天河区")


def test_county_user_journey(page, live_server, county_staff):
    log_in(page, live_server, "tianhe_e2e")

    # switch language to English and back
    page.get_by_role("button", name="English").click()
    expect(nav(page, "Organisations")).to_be_visible()
    page.get_by_role("button", name="中文").click()
    expect(nav(page, "组织")).to_be_visible()

    # drill down the region tree: county → township → community, with breadcrumbs
    nav(page, "行政区划").click()
    expect(page.locator("h1")).to_contain_text("天河区")
    township = page.get_by_test_id("region-children").locator("tbody tr a").first
    township_name = township.inner_text()
    township.click()
    expect(page.locator("h1")).to_contain_text(township_name)
    expect(page.get_by_test_id("breadcrumbs")).to_contain_text("天河区")
    page.get_by_test_id("breadcrumbs").get_by_role("link", name="天河区").click()
    expect(page.locator("h1")).to_contain_text("天河区")

    # create an organisation with an invalid credit code
    nav(page, "组织").click()
    page.get_by_role("link", name="新建组织").click()
    page.get_by_label("名称").fill("天河区向日葵社会工作服务中心")
    page.get_by_label("类型").select_option(label="社会工作服务机构")
    page.get_by_label("所在区划").fill("440106")
    page.get_by_label("统一社会信用代码").fill("91110000600037341X")
    page.get_by_label("联系电话").fill("020-38886666")
    page.get_by_role("button", name="保存").click()
    error = page.get_by_test_id("error-credit_code")
    expect(error).to_contain_text("校验位错误")
    expect(page.get_by_label("联系电话")).to_have_value("020-38886666")

    # correct it
    page.get_by_label("统一社会信用代码").fill("52440106MJ0000001J")
    page.get_by_role("button", name="保存").click()
    expect(page.locator("h1")).to_contain_text("天河区向日葵社会工作服务中心")
    expect(page.get_by_test_id("history")).to_contain_text("创建")

    # edit it, then see the change in its history with who and old/new values
    page.get_by_role("link", name="编辑").click()
    page.get_by_label("联系电话").fill("020-38887777")
    page.get_by_role("button", name="保存").click()
    history = page.get_by_test_id("history")
    expect(history).to_contain_text("联系电话")
    expect(history).to_contain_text("020-38886666")
    expect(history).to_contain_text("020-38887777")
    expect(history.get_by_test_id("history-user").first).to_contain_text(county_staff.full_name)

    # and in the list
    nav(page, "组织").click()
    page.get_by_placeholder("名称、信用代码或区划代码").fill("向日葵")
    page.get_by_role("button", name="筛选").click()
    expect(page).to_have_url(re.compile(r"q=%E5%90%91%E6%97%A5%E8%91%B5|q=向日葵"))
    expect(page.get_by_test_id("org-table")).to_contain_text("天河区向日葵社会工作服务中心")
    page.reload()
    expect(page.get_by_test_id("org-table")).to_contain_text("天河区向日葵社会工作服务中心")
