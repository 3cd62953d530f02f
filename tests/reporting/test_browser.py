"""Done-when 2: a station fills the monthly report (visits pre-filled from the platform's own
data); a validation error names the field and the rule; it submits; the county returns it with a
comment; the station corrects and resubmits; the county and the city approve; the province's
aggregate, completeness and timeliness change accordingly; the approved values are locked."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from shegong.people import services as people
from shegong.people.models import Category
from shegong.people.synthetic import make_id_number
from shegong.regions.models import Region
from shegong.reporting.periods import previous_periods
from tests.signin import sign_in


def _login(page, base: str, user) -> None:
    page.context.clear_cookies()
    sign_in(page, base, user.username)
    expect(page.get_by_test_id("jurisdiction")).to_be_visible()


def _visits(worker, period: date, n: int) -> None:
    """Care visits the station made in the period: the report pre-fills their number."""
    for i in range(n):
        resident = people.resident_create(
            acting_user=worker,
            name=f"探访对象{i}",
            id_number=make_id_number("440106", date(1945, 3, 8), i + 1, "M"),
            region=Region.objects.get(code="440106001001"),
            categories=[Category.objects.get(code="living_alone")],
            confirm_duplicates=True,
        )
        people.visit_record(
            resident=resident,
            acting_user=worker,
            visited_on=period + timedelta(days=3 + i),
            mode="home",
        )


def _province_figures(page, base, form, label, *, received, timely, served):
    page.goto(f"{base}/reporting/forms/{form.pk}/completeness/?period={label}")
    expect(page.get_by_test_id("total-expected")).to_have_text("3")
    expect(page.get_by_test_id("total-received")).to_have_text(received)
    expect(page.get_by_test_id("total-timely")).to_have_text(timely)
    page.goto(f"{base}/reporting/forms/{form.pk}/aggregate/?period={label}")
    expect(page.get_by_test_id("total-served")).to_have_text(served)


@pytest.mark.browser
def test_station_report_up_the_chain(live_server, page, chain):
    base = live_server.url
    station = chain.stations[0]
    period = previous_periods("monthly", timezone.localdate())[0]
    label = f"{period:%Y-%m}"
    _visits(station, period, 2)
    form = chain.form

    _login(page, base, chain.province)
    _province_figures(page, base, form, label, received="0", timely="0", served="")
    expect(page.get_by_test_id("total-completeness")).to_have_count(0)

    _login(page, base, station)
    page.goto(f"{base}/reporting/forms/{form.pk}/")
    page.get_by_test_id(f"fill-{label}").click()
    expect(page.get_by_test_id("submission-status")).to_have_text("草稿")
    expect(page.get_by_test_id("prefilled-visits")).to_contain_text("2")
    expect(page.get_by_label("本期完成探访次数")).to_have_value("2")
    page.locator("#id_served").fill("10")
    page.get_by_label("其中女性服务人次").fill("12")
    page.get_by_test_id("submit-report").click()
    error = page.get_by_test_id("error-women")
    expect(error).to_contain_text("其中女性服务人次")
    expect(error).to_contain_text("其中数不大于总数")
    expect(page.get_by_test_id("submission-status")).to_have_text("草稿")
    page.get_by_label("其中女性服务人次").fill("4")
    page.get_by_test_id("submit-report").click()
    expect(page.get_by_test_id("submission-status")).to_have_text("已上报待审核")
    url = page.url

    _login(page, base, chain.county)
    page.goto(url)
    page.get_by_test_id("action-return").click()
    page.get_by_label("意见或原因").fill("女性服务人次与台账不符，请核对")
    page.get_by_role("button", name="退回").click()
    expect(page.get_by_test_id("submission-status")).to_have_text("已退回")

    _login(page, base, chain.province)
    _province_figures(page, base, form, label, received="0", timely="0", served="")

    _login(page, base, station)
    page.goto(url)
    expect(page.get_by_test_id("history")).to_contain_text("女性服务人次与台账不符")
    page.get_by_label("其中女性服务人次").fill("5")
    page.get_by_test_id("submit-report").click()
    expect(page.get_by_test_id("submission-status")).to_have_text("已上报待审核")

    _login(page, base, chain.province)
    _province_figures(page, base, form, label, received="1", timely="1", served="")
    expect(page.get_by_test_id("total-pending")).to_have_text("1")

    for reviewer in (chain.county, chain.city):
        _login(page, base, reviewer)
        page.goto(url)
        page.get_by_test_id("action-forward").click()  # the remark is optional: one click
        expect(page.get_by_test_id("submission-status")).to_have_text("逐级审核中")
    expect(page.get_by_test_id("reviewer")).to_have_text("广东省委社会工作部")

    _login(page, base, chain.province)
    _province_figures(page, base, form, label, received="1", timely="1", served="10")
    page.goto(f"{base}/reporting/forms/{form.pk}/completeness/?period={label}")
    expect(page.get_by_test_id("total-completeness")).to_have_text("33.3%")
    expect(page.get_by_test_id("total-timeliness")).to_have_text("33.3%")

    _login(page, base, station)
    page.goto(url)
    expect(page.get_by_test_id("locked")).to_be_visible()
    expect(page.locator("#id_served")).to_be_disabled()
    expect(page.get_by_test_id("submit-report")).to_have_count(0)
    expect(page.get_by_test_id("save-draft")).to_have_count(0)
