"""Browser journey in real Chromium (issue 17, Done-when 2): a resident submits a suggestion on the
portal, with name and contact and consent; 天河's staff see it grouped with two similar ones
under the suggested topic; they answer the whole group and publish; the portal shows the answer
and the suggestion without the resident's name or contact."""

import pytest
from playwright.sync_api import expect

from tests.factories import MembershipFactory, OrganisationFactory
from tests.signin import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
WUSHAN = "440106001000"


@pytest.fixture
def tianhe(live_server, settings):
    settings.PETITIONS_FORM_MIN_SECONDS = 0  # the browser fills the form faster than a person
    from django.core.cache import cache

    from shegong.suggestions import grouping, services

    cache.clear()
    grouping.forget()  # the dictionary of this test database's categories and regions
    dept = OrganisationFactory(name="天河区委社会工作部", region_id="440106000000")
    MembershipFactory(
        organisation=dept, role="dept_staff", user__username="tianhe_sg", user__full_name="李天河"
    )
    for text in (
        "小区车位太少，晚上停车难，很多车乱停占用消防通道",
        "小区晚上停车难，车位严重不足，乱停车堵住消防通道",
        "社区图书室周末不开放，上班族没时间去看书",
    ):
        services.suggestion_submit(region_code=WUSHAN, text=text)


def log_out(page):
    page.get_by_test_id("user-menu").click()
    page.get_by_role("button", name="退出登录").click()


def test_suggestion_journey(page, live_server, tianhe):
    base = live_server.url
    # A resident writes in, leaving a name and phone number with consent.
    page.goto(f"{base}/suggestions/public/new/")
    form = page.get_by_test_id("suggestion-form")
    form.get_by_label("所在地（街道/社区）").fill(WUSHAN)
    form.get_by_label("您的意见建议").fill("我叫陈晓，车位不够，停车难，消防通道被乱停的车堵住了")
    form.get_by_label("姓名（可不填）").fill("陈晓")
    form.get_by_label("联系方式（可不填）").fill("13812345678")
    form.get_by_label("我同意留下姓名和联系方式").check()
    form.get_by_role("button", name="提交意见").click()
    expect(page.get_by_test_id("suggestion-submitted")).to_be_visible()

    # Staff see it in one group of three with the two similar ones, under 停车.
    sign_in(page, base, "tianhe_sg")
    page.goto(f"{base}/suggestions/")
    row = page.get_by_test_id("group-row").first
    expect(row.get_by_test_id("group-count")).to_have_text("3")
    expect(row.get_by_test_id("group-topic")).to_have_text("停车")
    row.get_by_role("link").click()
    expect(page.get_by_test_id("cluster-table").locator("tr")).to_have_count(3)
    expect(page.get_by_test_id("cluster-table")).to_contain_text("消防通道被乱停的车堵住了")
    expect(page.get_by_test_id("suggested-topic")).to_have_text("停车")

    # They answer the whole group, then publish the answers.
    answer = page.get_by_test_id("action-answer")
    answer.locator("#answer-answer").fill("已会同物业和交警在五山路增划夜间临时车位六十个。")
    answer.locator("#answer-whole_cluster").check()
    answer.get_by_role("button").click()
    expect(page.get_by_test_id("suggestion-status")).to_have_text("已答复")
    expect(page.get_by_test_id("cluster-table")).not_to_contain_text("待答复")
    publish = page.get_by_test_id("action-publish")
    publish.locator("#publish-whole_cluster").check()
    publish.get_by_role("button").click()
    expect(page.get_by_test_id("suggestion-status")).to_have_text("已公开答复")
    log_out(page)

    # The portal shows the three answers and the texts, never the resident's name or contact.
    page.goto(f"{base}/suggestions/public/")
    answers = page.get_by_test_id("published-answer")
    expect(answers).to_have_count(3)
    published = page.get_by_test_id("published-answers")
    expect(published).to_contain_text("消防通道被乱停的车堵住了")
    expect(published).to_contain_text("增划夜间临时车位六十个")
    expect(published).not_to_contain_text("陈晓")
    expect(published).not_to_contain_text("13812345678")
    expect(published).not_to_contain_text("图书室")  # not answered, not published
