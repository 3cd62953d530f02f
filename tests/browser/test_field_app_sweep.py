"""Issue 19 in real Chromium on a 360-px phone: the station worker's open emergency sweep tasks
come with the route download; with the network cut, one resident is recorded "reached / safe" and
one "reached / needs help" (what: category and text); back online the queue syncs, each outcome is
stored once, the needs-help outcome is an assistance record, and the county's board counts change."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.test_field_app_journey import (  # noqa: F401  (fixtures)
    PHONE,
    download,
    field,
    open_app,
)
from tests.factories import MembershipFactory, OrganisationFactory
from tests.signin import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def sweep(field):  # noqa: F811
    from shegong.emergency import services
    from shegong.people.models import Category
    from shegong.regions.models import Region

    county = OrganisationFactory(name="天河区委社会工作部", region_id="440106000000")
    staff = MembershipFactory(
        organisation=county, role="dept_staff", user__username="fa_county",
        user__full_name="李天河",
    )  # fmt: skip
    user = staff.user
    user.active_membership = staff
    event = services.event_declare(
        acting_user=user,
        kind="typhoon",
        title="台风“海葵”排查",
        areas=[Region.objects.get(code="440106001001")],
        categories=[Category.objects.get(code="living_alone")],
        target_hours=24,
    )
    return {**field, "event": event}


def test_sweep_outcomes_recorded_offline_reach_the_board(browser, live_server, sweep):
    from shegong.emergency.models import Outcome, SweepOutcome, SweepTask
    from shegong.people.models import Assistance

    base = live_server.url
    first, second = sweep["residents"]
    phone = browser.new_context(**PHONE)
    page = phone.new_page()
    sign_in(page, base, "fa_worker")
    open_app(page, base)
    download(page)
    items = page.get_by_test_id("sweep-item")
    expect(items).to_have_count(2)
    expect(page.get_by_test_id("sweep-block")).to_contain_text("台风“海葵”排查")

    phone.set_offline(True)
    items.filter(has_text="林阿婆").get_by_test_id("sweep-reached_safe").click()
    expect(page.get_by_test_id("flash")).to_contain_text("已保存在本机")
    items.filter(has_text="陈阿伯").get_by_test_id("sweep-reached_needs_help").click()
    form = page.get_by_test_id("sweep-form")
    form.get_by_label("需要的帮助").select_option(value="supplies")
    form.get_by_label("需要什么").fill("家中断水，需要饮用水")
    page.get_by_test_id("sweep-save").click()
    expect(page.get_by_test_id("flash")).to_contain_text("已保存在本机")
    expect(page.get_by_test_id("sweep-recorded")).to_have_count(2)
    page.get_by_test_id("tab-queue").click()
    expect(page.get_by_test_id("count-pending")).to_have_text("2")
    assert not SweepOutcome.objects.unscoped(reason="test").exists()

    phone.set_offline(False)
    expect(page.get_by_test_id("count-sent")).to_have_text("2", timeout=15000)
    outcomes = SweepOutcome.objects.unscoped(reason="test")
    assert outcomes.count() == 2
    tasks = SweepTask.objects.unscoped(reason="test")
    assert tasks.get(resident=first).outcome == Outcome.SAFE
    helped = tasks.get(resident=second)
    assert helped.outcome == Outcome.NEEDS_HELP and helped.assistance is not None
    assistance = Assistance.objects.unscoped(reason="test").get(resident=second)
    assert "家中断水" in assistance.description
    phone.close()

    # The county's board: both reached, none pending.
    desk = browser.new_context(locale="zh-CN")
    board = desk.new_page()
    sign_in(board, base, "fa_county")
    board.goto(f"{base}/emergency/{sweep['event'].pk}/")
    expect(board.get_by_test_id("count-safe")).to_have_text("1")
    expect(board.get_by_test_id("count-needs-help")).to_have_text("1")
    expect(board.get_by_test_id("count-pending")).to_have_text("0")
    desk.close()
