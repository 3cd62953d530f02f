"""Browser journey (Done when 3): a case goes intake → assessment → plan → service records →
evaluation → closure with the supervisor's reviews; a forbidden move is refused with a reason; a
referral to a hospital waits for the resident's consent, is accepted there and the case changes
lists."""

from datetime import date

import pytest
from playwright.sync_api import expect

from shegong.people.synthetic import make_id_number
from tests.people.journey_utils import load_defaults, log_in, member, nav

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def setting(live_server):
    from shegong.people import services
    from shegong.people.models import Category
    from shegong.regions.models import Region

    load_defaults()
    worker = member(
        "shegong_e2e", "station_worker", "440106001000", "sw_station", name="五山街道社工站"
    )
    station = worker.memberships.get().organisation
    member("dudao_e2e", "supervisor", "", "", org=station)
    member("yiyuan_e2e", "org_staff", "440106000000", "hospital", name="天河区康复医院")
    worker.active_membership = worker.memberships.get()
    village = Region.objects.get(code="440106001001")
    alone = Category.objects.get(code="living_alone")
    residents = [
        services.resident_create(
            acting_user=worker,
            name=name,
            region=village,
            categories=[alone],
            id_number=make_id_number("440106", date(1989, 3, i + 1), i + 1),
        )
        for i, name in enumerate(["何阿姨", "梁伯"])
    ]
    return residents


def move(page, button_testid, note=""):
    form = (
        page.get_by_test_id("transitions")
        .locator("form")
        .filter(has=page.get_by_test_id(button_testid))
    )
    if note:
        form.get_by_role("textbox").fill(note)
    page.get_by_test_id(button_testid).click()


def test_case_lifecycle_review_forbidden_move_and_referral(page, live_server, setting):
    first, second = setting
    log_in(page, live_server, "shegong_e2e", "五山街道")
    page.goto(f"{live_server.url}/people/{first.pk}/")
    page.get_by_role("link", name="新建个案").click()
    page.get_by_label("个案名称").fill("何阿姨居家照料")
    page.get_by_label("主要问题").fill("独居，行动不便，三餐无人照应")
    page.get_by_role("button", name="接案").click()
    expect(page.get_by_test_id("case-status")).to_have_text("接案")
    case_url = page.url

    # a forbidden move: intake straight to intervention
    form = page.get_by_test_id("any-transition")
    form.get_by_label("转到状态").select_option(label="服务介入")
    form.get_by_role("button", name="变更状态").click()
    expect(page.get_by_role("alert")).to_contain_text("不能从「接案」直接转到「服务介入」")
    expect(page.get_by_test_id("case-status")).to_have_text("接案")

    move(page, "to-assessment")
    expect(page.get_by_test_id("case-status")).to_have_text("需求评估")
    move(page, "to-planning", note="需要助餐和上门照料")
    expect(page.get_by_test_id("case-status")).to_have_text("服务计划")
    page.get_by_role("textbox", name="服务目标").fill("保障一日三餐")
    page.get_by_role("button", name="添加目标").click()
    expect(page.get_by_test_id("goals")).to_contain_text("保障一日三餐")
    move(page, "to-intervention")
    expect(page.get_by_role("alert")).to_contain_text("须经督导审核")
    page.get_by_test_id("request-plan-review").click()
    expect(page.get_by_test_id("reviews")).to_contain_text("待审核")

    log_in(page, live_server, "dudao_e2e", "五山街道")
    page.goto(case_url)
    page.get_by_test_id("approve-review").click()
    expect(page.get_by_test_id("reviews")).to_contain_text("通过")

    log_in(page, live_server, "shegong_e2e", "五山街道")
    page.goto(case_url)
    move(page, "to-intervention")
    expect(page.get_by_test_id("case-status")).to_have_text("服务介入")
    record = page.get_by_test_id("record-form")
    record.get_by_label("服务类型").select_option(label="入户服务")
    record.get_by_label("服务内容").fill("上门送餐并检查居家安全")
    record.get_by_label("提供的服务或物资").fill("助餐 1 次")
    record.get_by_role("button", name="登记服务记录").click()
    expect(page.get_by_test_id("records")).to_contain_text("上门送餐并检查居家安全")
    move(page, "to-evaluation")
    expect(page.get_by_test_id("case-status")).to_have_text("结案评估")
    page.get_by_role("textbox", name="结案原因").fill("服务目标达成")
    page.get_by_test_id("request-closure-review").click()

    log_in(page, live_server, "dudao_e2e", "五山街道")
    page.goto(case_url)
    page.get_by_test_id("approve-review").click()
    log_in(page, live_server, "shegong_e2e", "五山街道")
    page.goto(case_url)
    move(page, "to-closed")
    expect(page.get_by_test_id("case-status")).to_have_text("已结案")
    expect(page.get_by_test_id("transition-log")).to_contain_text("结案评估 → 已结案")

    # a referral to the hospital, accepted there: the case changes lists
    page.goto(f"{live_server.url}/people/{second.pk}/")
    page.get_by_role("link", name="新建个案").click()
    page.get_by_label("个案名称").fill("梁伯康复转介")
    page.get_by_label("主要问题").fill("中风后需要康复训练")
    page.get_by_role("button", name="接案").click()
    case_url = page.url

    def refer():
        referral = page.get_by_test_id("referral-form")
        referral.get_by_label("接收机构").select_option(label="天河区康复医院")
        referral.get_by_label("转介原因").fill("需要专业康复治疗")
        referral.get_by_role("button", name="转介").click()

    # his information may go to the hospital only with his consent (PIPL Art. 23): refused,
    # then his written consent is recorded on his page and the referral goes
    refer()
    expect(page.get_by_role("alert")).to_contain_text("未同意")
    page.goto(f"{live_server.url}/people/{second.pk}/")
    page.get_by_test_id("add-consent").click()
    form = page.get_by_test_id("consent-form")
    form.get_by_label("处理目的").select_option(
        label="转介时向社会工作服务机构、医疗机构等提供个人信息"
    )
    form.get_by_label("同意方式").select_option(label="书面")
    form.get_by_label("同意人", exact=True).select_option(label="本人")
    page.get_by_test_id("save-consent").click()
    expect(page.get_by_test_id("consent-referral")).to_contain_text("有效")
    page.goto(case_url)
    refer()
    expect(page.get_by_test_id("pending-referral")).to_contain_text("天河区康复医院")

    log_in(page, live_server, "yiyuan_e2e", "天河区")
    nav(page, "个案").click()
    expect(page.get_by_test_id("case-table")).not_to_contain_text("梁伯康复转介")
    page.get_by_test_id("referral-inbox").click()
    page.get_by_test_id("referrals").get_by_role("link", name="梁伯康复转介").click()
    page.get_by_test_id("accept-referral").click()
    expect(page.get_by_role("alert")).to_contain_text("已接收转介")
    expect(page.get_by_test_id("case-org")).to_have_text("天河区康复医院")
    nav(page, "个案").click()
    expect(page.get_by_test_id("case-table")).to_contain_text("梁伯康复转介")

    log_in(page, live_server, "shegong_e2e", "五山街道")
    nav(page, "个案").click()
    expect(page.get_by_test_id("case-table")).not_to_contain_text("梁伯康复转介")
