"""Browser journey (directives, Done-when 1): the central department issues a task to every
province; 广东 acknowledges it and cascades it to its cities with an earlier deadline; 广州
acknowledges and cascades to its county departments; 天河区 reports completion, 广州 accepts it
and reports its own completion, which 广东 accepts. The central roll-up shows 广东's subtree with
the right counts at each step, and after the daily sweep (run with the clock moved past the
acknowledgement limit) the province that never acknowledged (贵州) is listed as overdue."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from shegong.directives.models import DirectiveTarget
from tests.factories import MembershipFactory, OrganisationFactory
from tests.people.journey_utils import nav
from tests.signin import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

UNITS = [
    ("central_e2e", "赵中央", "000000000000", "中央社会工作部", "dept_leader"),
    ("gd_e2e", "钱广东", "440000000000", "广东省委社会工作部", "dept_leader"),
    ("gz_prov_e2e", "贵省", "520000000000", "贵州省委社会工作部", "dept_leader"),
    ("gz_e2e", "孙广州", "440100000000", "广州市委社会工作部", "dept_leader"),
    ("qy_e2e", "清远", "441800000000", "清远市委社会工作部", "dept_leader"),
    ("th_e2e", "李天河", "440106000000", "天河区委社会工作部", "dept_staff"),
]


@pytest.fixture
def units(live_server):
    found = {}
    for username, name, code, org_name, role in UNITS:
        org = OrganisationFactory(name=org_name, region_id=code)
        MembershipFactory(
            organisation=org, role=role, user__username=username, user__full_name=name
        )
        found[username] = org
    return found


def log_in(page, live_server, username):
    sign_in(page, live_server.url, username)
    expect(page.get_by_test_id("jurisdiction")).to_be_visible()


def log_out(page):
    page.get_by_test_id("user-menu").click()
    page.get_by_role("button", name="退出登录").click()


def expect_row(page, prefix, **counts):
    row = page.get_by_test_id(f"rollup-{prefix}")
    for column, value in counts.items():
        expect(row.locator(f'[data-col="{column}"]')).to_have_text(str(value))


def open_directive(page, title):
    nav(page, "督查督办").click()
    page.get_by_role("link", name=title).click()
    expect(page.locator("h1")).to_contain_text(title)


def acknowledge_and_open_own_copy(page, title):
    open_directive(page, title)
    page.get_by_test_id("own-copy").get_by_role("button", name="签收").click()
    # The copy's own page, where the unit acts on it.
    expect(page.get_by_test_id("target-status")).to_have_text("已签收")


def cascade(page, level_label, due=None, instructions=""):
    form = page.get_by_test_id("action-cascade")
    form.get_by_label("转发层级").select_option(label=level_label)
    if due is not None:
        form.get_by_label("内部期限").fill(due.isoformat())
    if instructions:
        form.get_by_label("本级要求").fill(instructions)
    form.get_by_role("button", name="转发/分解").click()
    expect(page.get_by_test_id("target-status")).to_have_text("办理中")


def central_rollup(page, live_server, title, region=""):
    """Sign in as the centre and open the directive's roll-up (drilled into `region`)."""
    log_in(page, live_server, "central_e2e")
    open_directive(page, title)
    if region:
        page.get_by_test_id(f"rollup-{region}").get_by_role("link").click()
        expect(page.get_by_test_id("rollup-trail")).to_contain_text("广东省")


def test_directive_cascade_journey(page, live_server, units):
    title = "社工站建设专项督查"
    # The centre issues a task to every province.
    central = page
    log_in(central, live_server, "central_e2e")
    nav(central, "督查督办").click()
    central.get_by_test_id("issue-directive").click()
    central.get_by_label("标题").fill(title)
    central.get_by_label("下发层级").select_option(label="省级")
    central.get_by_label("办理期限（天）").fill("20")
    central.get_by_test_id("issue-submit").click()
    expect(central.locator("h1")).to_contain_text(title)
    expect_row(central, "44", total=1, received=1, completed=0)
    expect_row(central, "52", total=1, received=1)
    log_out(page)

    # 广东 acknowledges and cascades to its cities with an earlier deadline.
    log_in(page, live_server, "gd_e2e")
    acknowledge_and_open_own_copy(page, title)
    own = DirectiveTarget.objects.get(unit=units["gd_e2e"])
    earlier = own.due_date - timedelta(days=5)
    cascade(page, "市级", due=earlier, instructions="各市于内部期限前完成")
    log_out(page)
    central_rollup(page, live_server, title)
    expect_row(central, "44", total=3, received=2, in_progress=1)
    log_out(page)

    # 广州 acknowledges (its deadline is 广东's earlier one) and cascades to its counties.
    log_in(page, live_server, "gz_e2e")
    acknowledge_and_open_own_copy(page, title)
    expect(page.get_by_test_id("target-due")).to_have_text(earlier.isoformat())
    cascade(page, "县级")
    log_out(page)
    central_rollup(page, live_server, title)
    expect_row(central, "44", total=4, received=2, in_progress=2)
    log_out(page)

    # 天河区 acknowledges and reports completion.
    log_in(page, live_server, "th_e2e")
    acknowledge_and_open_own_copy(page, title)
    form = page.get_by_test_id("action-complete")
    form.get_by_label("报告内容").fill("已完成全区社工站建设督查")
    form.get_by_label("完成数量（可选）").fill("12")
    form.get_by_role("button", name="提交办结").click()
    expect(page.get_by_test_id("target-status")).to_have_text("待审核办结")
    log_out(page)
    central_rollup(page, live_server, title)
    expect_row(central, "44", total=4, submitted=1, completed=0)
    log_out(page)

    # 广州 accepts 天河区's completion, then submits its own.
    log_in(page, live_server, "gz_e2e")
    open_directive(page, title)
    page.get_by_test_id("review-440106000000").click()
    expect(page.get_by_test_id("reports")).to_contain_text("已完成全区社工站建设督查")
    page.get_by_test_id("action-accept").get_by_role("button", name="办结").click()
    expect(page.get_by_test_id("target-status")).to_have_text("已办结")
    open_directive(page, title)
    page.get_by_role("link", name="办理本单位承办件").click()
    form = page.get_by_test_id("action-complete")
    form.get_by_label("报告内容").fill("广州市各区均已完成")
    form.get_by_role("button", name="提交办结").click()
    expect(page.get_by_test_id("target-status")).to_have_text("待审核办结")
    log_out(page)

    # 广东 accepts 广州's completion.
    log_in(page, live_server, "gd_e2e")
    open_directive(page, title)
    page.get_by_test_id("review-440100000000").click()
    page.get_by_test_id("action-accept").get_by_role("button", name="办结").click()
    expect(page.get_by_test_id("target-status")).to_have_text("已办结")

    # The centre sees 广东's subtree: 2 of 4 copies done; drilling into 广东 shows each city.
    log_out(page)
    central_rollup(page, live_server, title)
    expect_row(central, "44", total=4, completed=2, received=1, in_progress=1)
    central.get_by_test_id("rollup-44").get_by_role("link").click()
    expect_row(central, "4401", total=2, completed=2)
    expect_row(central, "4418", total=1, received=1)
    expect_row(central, "44-self", total=1, in_progress=1)

    # The daily sweep, with the clock past the acknowledgement limit: 贵州 never acknowledged.
    from shegong.directives.services import directive_sweep

    guizhou = DirectiveTarget.objects.get(unit=units["gz_prov_e2e"])
    directive_sweep(today=guizhou.ack_due + timedelta(days=1))
    open_directive(page, title)
    expect_row(central, "52", overdue=1, received=1)
    expect(central.get_by_test_id("laggards")).to_contain_text("贵州省委社会工作部")
    # 贵州 is the slowest: listed first.
    expect(central.get_by_test_id("rollup-table").locator("tbody tr").first).to_have_attribute(
        "data-testid", "rollup-52"
    )
