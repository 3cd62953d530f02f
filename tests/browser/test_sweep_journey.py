"""Browser journey in real Chromium (issue 19, Done-when 4): the county declares a typhoon sweep
over three villages; the board shows every target resident; the station worker records outcomes
on a phone-sized page (one "needs help" becomes an assistance record); the board counts change;
a resident outside the area or the groups never appears."""

from datetime import date

import pytest
from playwright.sync_api import expect

from shegong.people.models import Category
from shegong.people.synthetic import make_id_number
from tests.factories import MembershipFactory, OrganisationFactory
from tests.signin import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

V1, V2, V3 = "440106001001", "440106001002", "440106001003"
OUTSIDE = "440106002008"


@pytest.fixture
def world(live_server):
    from django.core.cache import cache

    from shegong.people import services
    from shegong.regions.models import Region

    cache.clear()
    county = OrganisationFactory(name="天河区委社会工作部", region_id="440106000000")
    station = OrganisationFactory(
        name="五山街道社工站", kind="sw_station", region_id="440106001000"
    )
    staff = MembershipFactory(
        organisation=county, role="dept_staff", user__username="county_e2e",
        user__full_name="李天河",
    )  # fmt: skip
    MembershipFactory(
        organisation=station, role="station_worker", user__username="worker_e2e",
        user__full_name="郑社工",
    )  # fmt: skip
    user = staff.user
    user.active_membership = staff
    cats = {c.code: c for c in Category.objects.all()}
    plan = [
        ("王阿婆", V1, ["living_alone"]),
        ("李阿伯", V2, ["living_alone"]),
        ("张小明", V3, ["left_behind_child"]),
        ("赵低保", V2, ["dibao"]),  # not in the groups
        ("钱员村", OUTSIDE, ["living_alone"]),  # outside the area
    ]
    found = {}
    for n, (name, village, codes) in enumerate(plan, start=1):
        birth = date(2016, 1, 1) if name == "张小明" else date(1941, 1, 1)
        found[name] = services.resident_create(
            acting_user=user,
            name=name,
            id_number=make_id_number("440106", birth, n, "F"),
            region=Region.objects.get(code=village),
            categories=[cats[c] for c in codes],
            confirm_duplicates=True,
        )
    return found


def log_out(page):
    page.get_by_test_id("user-menu").click()
    page.get_by_role("button", name="退出登录").click()


def test_sweep_journey(page, live_server, world):
    base = live_server.url

    # The county declares a typhoon sweep over three villages for two groups.
    sign_in(page, base, "county_e2e")
    page.goto(f"{base}/emergency/new/")
    form = page.get_by_test_id("declare-form")
    form.get_by_label("事件类型").select_option(label="台风")
    form.get_by_label("事件名称").fill("台风“山竹”五山排查")
    form.get_by_label("排查区划 1", exact=True).fill(V1)
    form.get_by_label("排查区划 2", exact=True).fill(V2)
    form.get_by_label("排查区划 3", exact=True).fill(V3)
    form.get_by_label("排查时限（小时）").fill("12")
    form.get_by_label("独居老人").check()
    form.get_by_label("留守儿童").check()
    page.get_by_test_id("declare-submit").click()
    expect(page.get_by_test_id("count-total")).to_have_text("3")
    tasks = page.get_by_test_id("task-table")
    for name in ("王阿婆", "李阿伯", "张小明"):
        expect(tasks).to_contain_text(name)
    expect(page.locator("body")).not_to_contain_text("赵低保")
    expect(page.locator("body")).not_to_contain_text("钱员村")
    page.get_by_role("button", name="开始排查").click()
    expect(page.get_by_test_id("event-status")).to_have_text("排查中")
    board_url = page.url
    log_out(page)

    # The station worker, on a phone, records outcomes with the big buttons.
    page.set_viewport_size({"width": 360, "height": 740})
    sign_in(page, base, "worker_e2e")
    page.goto(f"{base}/emergency/mine/")
    for name in ("王阿婆", "李阿伯", "张小明"):
        expect(page.locator("body")).to_contain_text(name)
    expect(page.locator("body")).not_to_contain_text("钱员村")
    wang, li = world["王阿婆"].pk, world["李阿伯"].pk
    page.get_by_test_id(f"safe-{wang}").click()
    expect(page.get_by_test_id(f"my-task-{wang}").get_by_test_id("outcome")).to_have_text(
        "已联系·安全"
    )
    page.get_by_test_id(f"help-open-{li}").click()
    page.get_by_test_id(f"need-category-{li}").select_option(label="生活物资")
    page.get_by_test_id(f"need-text-{li}").fill("家中断水，需要饮用水")
    page.get_by_test_id(f"help-submit-{li}").click()
    expect(page.get_by_test_id(f"my-task-{li}").get_by_test_id("outcome")).to_have_text(
        "已联系·需帮助"
    )
    # The need is an assistance record on the resident's page, with the sweep in the history.
    page.goto(f"{base}/people/{li}/")
    expect(page.get_by_test_id("assistance")).to_contain_text("家中断水，需要饮用水")
    expect(page.get_by_test_id("sweep-history")).to_contain_text("已联系·需帮助")
    log_out(page)

    # The board's counts changed; the one not yet reached comes first.
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, base, "county_e2e")
    page.goto(board_url)
    expect(page.get_by_test_id("count-safe")).to_have_text("1")
    expect(page.get_by_test_id("count-needs-help")).to_have_text("1")
    expect(page.get_by_test_id("count-pending")).to_have_text("1")
    expect(page.get_by_test_id("task-table").locator("tbody tr").first).to_contain_text("张小明")
    expect(page.locator("body")).not_to_contain_text("钱员村")
