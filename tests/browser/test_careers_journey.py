"""Browser journey in real Chromium (Done-when 3): the 广东省 department opens a title round; a
station social worker applies; the station confirms; the department's panel scores and passes
the candidate and publishes the result; after the public notice (the daily sweep, run with the
day after the notice ends) the level shows on the worker's career page."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.careers.factories import make_worker
from tests.factories import MembershipFactory, OrganisationFactory
from tests.signin import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def people(live_server):
    from django.core.cache import cache

    cache.clear()
    province = OrganisationFactory(name="广东省委社会工作部", region_id="440000000000")
    station = OrganisationFactory(
        name="五山街道社工站", kind="sw_station", region_id="440106001000"
    )
    MembershipFactory(
        organisation=province, role="dept_leader", user__username="gd_e2e", user__full_name="钱广东"
    )
    candidate = MembershipFactory(
        organisation=station, role="station_worker", user__username="cand_e2e",
        user__full_name="李社工",
    ).user  # fmt: skip
    MembershipFactory(
        organisation=station, role="station_worker", user__username="head_e2e",
        user__full_name="周站长",
    )  # fmt: skip
    worker = make_worker(station, name="李社工", user=candidate, education="bachelor")
    return worker


def log_out(page):
    page.get_by_test_id("user-menu").click()
    page.get_by_role("button", name="退出登录").click()


def test_title_round_journey(page, live_server, people):
    worker = people
    base = live_server.url
    today = timezone.localdate()

    # The province opens a round for 社会工作师.
    sign_in(page, base, "gd_e2e")
    page.goto(f"{base}/careers/rounds/new/")
    form = page.get_by_test_id("careers-form")
    form.get_by_label("评审名称").fill("广东省社会工作师职称评审")
    form.get_by_label("评审等级").select_option(label="社会工作师")
    form.get_by_label("年度").fill(str(today.year))
    form.get_by_label("申报截止日期").fill((today + timedelta(days=30)).isoformat())
    form.get_by_label("最低学历").select_option(label="本科")
    form.get_by_label("从事社会工作最低年限").fill("3")
    form.get_by_role("button", name="提交").click()
    expect(page.get_by_test_id("round-conditions")).to_contain_text("社会工作师")
    round_url = page.url
    log_out(page)

    # The candidate applies with their materials.
    sign_in(page, base, "cand_e2e")
    page.goto(round_url)
    page.get_by_test_id("apply").click()
    form = page.get_by_test_id("careers-form")
    form.get_by_label("从事社会工作年限").fill("6")
    form.get_by_label("考试通过日期").fill((today - timedelta(days=300)).isoformat())
    form.get_by_label("业绩成果").fill("主持长者探访项目，服务 300 余人次")
    form.get_by_role("button", name="提交").click()
    expect(page.get_by_test_id("application-status")).to_have_text("已申报待单位确认")
    application_url = page.url
    log_out(page)

    # The employer (the station) confirms.
    sign_in(page, base, "head_e2e")
    page.goto(application_url)
    page.get_by_test_id("action-confirm").click()
    expect(page.get_by_test_id("application-status")).to_have_text("单位已确认待评审")
    log_out(page)

    # The panel scores and passes; the result is publicly notified.
    sign_in(page, base, "gd_e2e")
    page.goto(application_url)
    page.get_by_test_id("action-score").click()
    page.get_by_label("评审得分").fill("86")
    page.get_by_role("button", name="评审评分").click()
    expect(page.get_by_test_id("application-status")).to_have_text("已评分待决定")
    page.get_by_test_id("action-pass").click()
    expect(page.get_by_test_id("application-status")).to_have_text("评审通过待公示")
    page.get_by_test_id("action-publish").click()
    expect(page.get_by_test_id("application-status")).to_have_text("公示中")
    expect(page.get_by_test_id("notice")).to_contain_text(today.isoformat())

    # The daily sweep on the day after the notice ends: the level takes effect.
    from shegong.careers.models import TitleApplication
    from shegong.careers.services.titles import notice_sweep

    application = TitleApplication.objects.get(worker=worker)
    assert notice_sweep(today=application.notice_until) == 0
    assert notice_sweep(today=application.notice_until + timedelta(days=1)) == 1
    page.goto(application_url)
    expect(page.get_by_test_id("application-status")).to_have_text("已生效")
    page.goto(f"{base}/careers/workers/{worker.pk}/")
    expect(page.get_by_test_id("certificates")).to_contain_text("社会工作师")
