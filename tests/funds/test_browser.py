"""Done-when 4: a province leader drafts, compares, approves and disburses a plan over its
cities; a city leader confirms receipt and sees the money; the Sankey shows the flow."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from shegong.funds.models import Account, PlanRecipient
from shegong.orgs.models import Organisation
from tests.signin import sign_in


def _login(page, base: str, username: str) -> None:
    page.context.clear_cookies()
    sign_in(page, base, username)
    expect(page.get_by_test_id("jurisdiction")).to_be_visible()


@pytest.mark.browser
def test_province_plan_from_draft_to_confirmed_receipt(
    live_server, page, province_leader, city_leader, fund
):
    fund(province_leader, 5_000_000, source="provincial")
    stations = {"440106001000": 5, "440303000000": 3, "441881101000": 8, "440703000000": 2}
    Organisation.objects.bulk_create(
        [
            Organisation(name=f"社工站{code}-{n}", kind="sw_station", region_id=code)
            for code, count in stations.items()
            for n in range(count)
        ]
    )
    base = live_server.url
    _login(page, base, province_leader.username)

    page.goto(f"{base}/funds/plans/new/")
    page.get_by_label("方案名称").fill("2026年度社工站运营资金分配方案")
    page.get_by_label("资金池（元）/ 岗位数").fill("2000000")
    page.get_by_label("拨付资金来源").select_option("provincial")
    page.get_by_role("button", name="生成方案草稿").click()

    expect(page.get_by_test_id("plan-status")).to_have_text("草稿")
    table = page.get_by_test_id("recipient-table")
    expect(table.locator("tbody tr")).to_have_count(21)
    expect(page.get_by_test_id("source-stations")).to_contain_text("社工站")
    # both methods side by side for 广州市
    expect(page.get_by_test_id("prop-440100000000")).not_to_have_text("—")
    expect(page.get_by_test_id("opt-440100000000")).not_to_have_text("—")
    # a cap for 广州市 shows up as a binding constraint after recomputing
    page.get_by_label("公平性约束（%）").fill("100")
    page.get_by_label("广州市 上限").fill("50000")
    page.get_by_test_id("recompute").click()
    expect(page.get_by_test_id("recipient-440100000000")).to_contain_text("吸纳能力上限")
    expect(page.get_by_test_id("opt-440100000000")).to_have_text("¥50,000.00")
    expect(page.get_by_test_id("marginal")).to_contain_text("每增加1元")

    page.get_by_test_id("action-submit").click()
    expect(page.get_by_test_id("plan-status")).to_have_text("已提交待审批")
    page.get_by_test_id("action-approve").click()
    expect(page.get_by_test_id("plan-status")).to_have_text("已审批")
    page.get_by_test_id("action-disburse").click()
    expect(page.get_by_test_id("plan-status")).to_have_text("已拨付")

    gz = PlanRecipient.objects.get(region_code="440100000000", plan__title__startswith="2026")
    assert gz.amount == 50_000_00

    _login(page, base, city_leader.username)
    page.goto(f"{base}/funds/receipts/")
    page.get_by_test_id("confirm-440100000000").click()
    expect(page.get_by_test_id("receipt-440100000000")).to_contain_text("已确认")
    page.goto(f"{base}/funds/")
    account = Account.objects.get(
        organisation=city_leader.active_membership.organisation, kind="holding", source="provincial"
    )
    expect(page.get_by_test_id(f"balance-{account.pk}")).to_have_text("¥50,000.00")

    _login(page, base, province_leader.username)
    page.goto(f"{base}/funds/reports/")
    sankey = page.get_by_test_id("sankey")
    expect(sankey).to_have_attribute("data-ready", "1")
    paid = PlanRecipient.objects.filter(plan=gz.plan, amount__gt=0).count()
    assert paid >= 2 and int(sankey.get_attribute("data-links")) == paid
    expect(page.get_by_test_id("total-disbursed")).to_have_text(re.compile(r"2,000,000\.00"))
