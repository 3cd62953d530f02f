"""Browser journeys (Done when 1 and 2): a station social worker registers a resident, assesses
them as high risk and finds the visit on "my visits"; recording it moves the due date; an
overdue visit shows for the worker, the township and the county, and in the monthly rate."""

import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from shegong.people.synthetic import make_id_number
from tests.people.journey_utils import load_defaults, log_in, member, nav

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def people(live_server):
    load_defaults()
    worker = member(
        "shegong_e2e", "station_worker", "440106001000", "sw_station", name="五山街道社工站"
    )
    return {
        "worker": worker,
        "township": member("wushan_e2e", "dept_staff", "440106001000", "sw_department"),
        "county": member("tianhe_e2e", "dept_staff", "440106000000", "sw_department"),
    }


def test_register_assess_and_find_the_first_visit(page, live_server, people):
    number = make_id_number("440106", date(1988, 9, 17), 21, "F")
    log_in(page, live_server, "shegong_e2e", "五山街道")
    nav(page, "服务对象").click()
    page.get_by_test_id("new-resident").click()
    page.get_by_label("姓名").fill("黄桂芳")
    page.get_by_label("身份证号码").fill(number)
    page.get_by_label("联系电话").fill("13922223333")
    page.get_by_label("所在村（社区）").fill("440106001001")
    page.get_by_label("独居老人").check()
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("alert")).to_contain_text("已登记：黄桂芳（女，1988-09-17 出生）")
    expect(page.get_by_test_id("sex")).to_have_text("女")
    expect(page.get_by_test_id("birth-date")).to_contain_text("1988-09-17")
    expect(page.get_by_test_id("masked-id")).to_have_text(number[:6] + "********" + number[-4:])
    resident_url = page.url

    # the same ID again, then a wrong check digit
    nav(page, "服务对象").click()
    page.get_by_test_id("new-resident").click()
    page.get_by_label("姓名").fill("黄桂芳")
    page.get_by_label("身份证号码").fill(number)
    page.get_by_label("所在村（社区）").fill("440106001001")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_test_id("error-id_number")).to_contain_text("该身份证号码已登记")
    wrong = number[:-1] + ("0" if number[-1] != "0" else "1")
    page.get_by_label("身份证号码").fill(wrong)
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_test_id("error-id_number")).to_contain_text("校验位错误")

    # assess as high risk
    page.goto(resident_url)
    page.get_by_test_id("assess").click()
    page.get_by_label("独居", exact=True).check()
    page.get_by_label("健康状况").select_option(label="重病/需长期照护")
    page.get_by_label("自理能力").select_option(label="部分自理")
    page.get_by_label("经济状况").select_option(label="紧张")
    page.get_by_label("住房安全").select_option(label="有隐患")
    page.get_by_label("社会支持").select_option(label="无人照应")
    page.get_by_role("button", name="完成评估").click()
    expect(page.get_by_role("alert")).to_contain_text("评估完成：高风险")
    due = date.fromisoformat(page.get_by_test_id("next-due").inner_text())
    assert date.today() < due <= date.today() + timedelta(days=7)

    # my visits: the first visit is due within 7 days, under the village
    nav(page, "我的探访").click()
    group = page.get_by_test_id("village-group").filter(has_text="岳洲社区居委会")
    expect(group).to_contain_text("黄桂芳")
    expect(group).to_contain_text(due.isoformat())
    expect(group).to_contain_text("高风险")


def test_visit_moves_due_date_and_overdue_rolls_up(page, live_server, people):
    from shegong.people import services
    from shegong.people.models import Category, VisitPlan
    from shegong.regions.models import Region

    worker = people["worker"]
    worker.active_membership = worker.memberships.get()
    village = Region.objects.get(code="440106001001")
    alone = Category.objects.get(code="living_alone")
    high = {
        "lives_alone": True,
        "health": "serious",
        "self_care": "partial",
        "income": "tight",
        "housing": "safe",
        "support": "none",
    }
    due_today = services.resident_create(
        acting_user=worker,
        name="刘伯",
        region=village,
        categories=[alone],
        id_number=make_id_number("440106", date(1990, 1, 5), 1),
    )
    services.assessment_create(resident=due_today, acting_user=worker, answers=high)
    VisitPlan.objects.filter(resident=due_today).update(next_due_date=date.today())
    late = services.resident_create(
        acting_user=worker,
        name="钟婆婆",
        region=village,
        categories=[alone],
        id_number=make_id_number("440106", date(1991, 2, 6), 2, "F"),
    )
    VisitPlan.objects.filter(resident=late).update(next_due_date=date.today() - timedelta(days=4))

    log_in(page, live_server, "shegong_e2e", "五山街道")
    nav(page, "我的探访").click()
    expect(page.get_by_test_id("count-overdue")).to_have_text("1")
    expect(page.get_by_test_id("route")).to_contain_text("刘伯")
    page.get_by_test_id("due-row").filter(has_text="刘伯").get_by_role(
        "link", name="记录探访"
    ).click()
    page.get_by_label("方式").select_option(label="入户")
    page.get_by_label("发现的需求").fill("需要助餐服务")
    page.get_by_role("button", name="保存探访记录").click()
    expected = (date.today() + timedelta(days=7)).isoformat()
    expect(page.get_by_role("alert")).to_contain_text(f"下次探访截止 {expected}")
    expect(page.get_by_role("button", name="转为个案")).to_be_visible()

    # the overdue visit on the township's and the county's pages, and in the monthly rate
    log_in(page, live_server, "wushan_e2e", "五山街道")
    nav(page, "探访统计").click()
    expect(page.get_by_test_id("total-overdue")).to_have_text("1")
    expect(page.get_by_test_id("overdue-list")).to_contain_text("钟婆婆")
    expect(page.get_by_test_id("rollup-row").filter(has_text="岳洲社区居委会")).to_contain_text("1")

    log_in(page, live_server, "tianhe_e2e", "天河区")
    nav(page, "探访统计").click()
    row = page.get_by_test_id("rollup-row").filter(has_text="五山街道")
    expect(row).to_contain_text("50.0%")
    expect(page.get_by_test_id("total-overdue")).to_have_text("1")
    expect(page.get_by_test_id("total-month")).to_have_text(re.compile(r"2\s*/\s*1"))
    expect(page.get_by_test_id("total-rate")).to_have_text("50.0%")
