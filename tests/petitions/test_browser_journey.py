"""Browser journey in real Chromium: a resident complains online and gets a number; 天河区
staff route it to the human resources department, which accepts, replies and closes; the
follow-up is recorded; the resident rates it on the tracking page; the timeline shows every
step with who and when."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import MembershipFactory, OrganisationFactory
from tests.signin import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def people(live_server, settings):
    settings.PETITIONS_FORM_MIN_SECONDS = 0  # the browser fills the form faster than a person
    from django.core.cache import cache

    cache.clear()
    dept = OrganisationFactory(name="天河区委社会工作部", region_id="440106000000")
    hr = OrganisationFactory(
        name="天河区人力资源和社会保障局",
        kind="gov_department",
        sector="human_resources",
        region_id="440106000000",
    )
    staff = MembershipFactory(
        organisation=dept, role="dept_staff", user__username="tianhe_e2e", user__full_name="李天河"
    ).user
    hr_user = MembershipFactory(
        organisation=hr, role="org_staff", user__username="hr_e2e", user__full_name="林人社"
    ).user
    return staff, hr_user


def log_in(page, live_server, username):
    sign_in(page, live_server.url, username)
    expect(page.get_by_test_id("jurisdiction")).to_contain_text("天河区")


def log_out(page):
    page.get_by_test_id("user-menu").click()
    page.get_by_role("button", name="退出登录").click()


def act(page, testid, button):
    page.get_by_test_id(testid).get_by_role("button", name=button).click()


def test_complaint_journey(page, live_server, people):
    staff, hr_user = people
    # A resident submits a complaint on the public form.
    page.goto(f"{live_server.url}/petitions/public/submit/")
    form = page.get_by_test_id("public-form")
    form.get_by_label("类型").select_option(label="投诉")
    form.get_by_label("分类").select_option(label="劳动和欠薪 / 拖欠工资")
    form.get_by_label("事发地（街道/社区）").fill("440106001000")
    form.get_by_label("标题").fill("餐馆拖欠工资")
    form.get_by_label("您的诉求").fill("天河区某餐馆拖欠我两个月工资共一万二千元，请帮助追讨")
    form.get_by_label("姓名", exact=True).fill("陈晓")
    form.get_by_label("手机号（用于查询进度）").fill("13812345678")
    form.get_by_role("button", name="提交").click()
    number = page.get_by_test_id("registration-number").inner_text()
    assert re.fullmatch(r"440106\d{8}\d{4}", number)

    # County staff route it to the human resources department the routing table proposes.
    log_in(page, live_server, "tianhe_e2e")
    page.goto(f"{live_server.url}/petitions/?view=dispatch")
    page.get_by_role("link", name=number).click()
    expect(page.get_by_test_id("proposal")).to_have_text("天河区人力资源和社会保障局")
    act(page, "action-route", "确认交办")
    expect(page.get_by_test_id("status")).to_have_text("已交办待受理")
    log_out(page)

    # The department accepts, replies and closes.
    log_in(page, live_server, "hr_e2e")
    page.goto(f"{live_server.url}/petitions/?view=mine")
    page.get_by_role("link", name=number).click()
    act(page, "action-accept", "受理并告知信访人")
    expect(page.get_by_test_id("status")).to_have_text("办理中")
    reply = page.get_by_test_id("action-reply")
    reply.get_by_label("处理意见", exact=True).select_option(label="支持")
    reply.get_by_label("处理意见书").fill("经查属实，已责令该餐馆于十日内支付拖欠工资一万二千元。")
    reply.get_by_role("button", name="答复").click()
    expect(page.get_by_test_id("status")).to_have_text("已答复")
    act(page, "action-close", "办结")
    expect(page.get_by_test_id("status")).to_have_text("已办结")
    # The follow-up is recorded.
    followup = page.get_by_test_id("action-follow_up")
    followup.get_by_label("回访方式").select_option(label="电话回访")
    followup.get_by_label("回访记录").fill("电话回访陈晓，已收到工资。")
    followup.get_by_role("button", name="记录回访").click()
    expect(page.get_by_test_id("followups")).to_contain_text("已收到工资")
    log_out(page)

    # The resident tracks it with the number and the last four digits, and rates it.
    page.goto(f"{live_server.url}/petitions/public/track/")
    page.get_by_label("登记编号").fill(number)
    page.get_by_label("手机号后四位").fill("5678")
    page.get_by_test_id("track-form").get_by_role("button", name="查询").click()
    expect(page.get_by_test_id("public-status")).to_have_text("已办结")
    expect(page.get_by_test_id("public-unit")).to_have_text("天河区人力资源和社会保障局")
    expect(page.get_by_test_id("public-reply")).to_contain_text("已责令该餐馆")
    expect(page.get_by_test_id("track-result")).not_to_contain_text("林人社")
    page.get_by_test_id("rate-form").get_by_label("满意", exact=True).check()
    page.get_by_test_id("rate-form").get_by_role("button", name="提交评价").click()
    expect(page.get_by_test_id("message")).to_have_text("感谢您的评价！")
    expect(page.get_by_test_id("public-rating")).to_have_text("满意")

    # Every step is in the timeline, with who and when.
    log_in(page, live_server, "tianhe_e2e")
    page.goto(f"{live_server.url}/petitions/?q={number}")
    page.get_by_role("link", name=number).click()
    items = page.get_by_test_id("timeline-item")
    expected = [
        ("登记", "信访人"),
        ("交办", "李天河（天河区委社会工作部）"),
        ("受理", "林人社（天河区人力资源和社会保障局）"),
        ("出具处理意见书", "林人社"),
        ("办结", "林人社"),
        ("回访", "林人社"),
        ("信访人评价", "信访人"),
    ]
    expect(items).to_have_count(len(expected))
    for index, (label, who) in enumerate(expected):
        item = items.nth(index)
        expect(item.get_by_test_id("timeline-label")).to_have_text(label)
        expect(item.get_by_test_id("timeline-who")).to_contain_text(who)
        expect(item).to_contain_text(re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}"))
