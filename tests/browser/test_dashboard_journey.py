"""Browser journey in real Chromium (issue 15, Done-when 2): the 广东 provincial department opens
its dashboard, sees the map of its cities coloured by the visit rate, clicks 广州 on the map,
then 天河 on 广州's map; at each level the children's numerators and denominators add up to the
parent's, and the same values are in the pivot's Excel export, downloaded and read back.

The clicks are real mouse clicks on the chart's canvas: the point to click is where the chart
itself (`convertToPixel`) draws the city's or the district's centre, so the click goes through
ECharts' own hit test and its click handler, not through the table's link."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.signin import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

GD, GZ, QY, TH = "440000000000", "440100000000", "441800000000", "440106000000"
# Where the chart should be clicked: inside 广州 (越秀, the old centre) and inside 天河 (the
# centre point the boundary package gives for 天河区).
GUANGZHOU_POINT = (113.27, 23.13)
TIANHE_POINT = (113.3616, 23.1248)


@pytest.fixture
def province(live_server):
    from django.core.cache import cache

    from shegong.indicators.periods import Period
    from shegong.indicators.services import values_refresh
    from tests.factories import MembershipFactory, OrganisationFactory
    from tests.indicators import world

    cache.clear()
    world.build()
    values_refresh(period=Period.parse("2026-11"))
    department = OrganisationFactory(name="广东省委社会工作部", kind="sw_department", region_id=GD)
    MembershipFactory(
        organisation=department, role="dept_leader", user__username="gd_dash",
        user__full_name="钱广东",
    )  # fmt: skip


def _map_ready(page, kind: str):
    chart = page.get_by_test_id("dashboard-map")
    expect(chart).to_have_attribute("data-chart-ready", "1", timeout=30_000)
    expect(chart).to_have_attribute("data-map-kind", kind)
    return chart


def _click_on_map(page, point):
    """A mouse click where the chart draws `point` (longitude, latitude)."""
    page.get_by_test_id("dashboard-map").scroll_into_view_if_needed()
    x, y = page.evaluate(
        """([lng, lat]) => {
            const chart = echarts.getInstanceByDom(document.getElementById("dash-map"));
            return chart.convertToPixel({seriesIndex: 0}, [lng, lat]);
        }""",
        list(point),
    )
    box = page.get_by_test_id("dashboard-map").bounding_box()
    page.mouse.click(box["x"] + x, box["y"] + y)


def _figures(page) -> tuple[dict[str, tuple[Decimal, Decimal]], tuple[Decimal, Decimal]]:
    """The children's (numerator, denominator) by code, and the total's, from the table."""
    table = page.get_by_test_id("dashboard-children")

    def pair(row) -> tuple[Decimal, Decimal]:
        return (
            Decimal(row.get_attribute("data-numerator")),
            Decimal(row.get_attribute("data-denominator") or 0),
        )

    rows = {r.get_attribute("data-code"): pair(r) for r in table.locator("tbody tr").all()}
    return rows, pair(page.get_by_test_id("dashboard-total"))


def _adds_up(children, total) -> None:
    assert sum(n for n, _d in children.values()) == total[0]
    assert sum(d for _n, d in children.values()) == total[1]


def _value_of(page, code: str) -> str:
    return (
        page.get_by_test_id("dashboard-children")
        .locator(f'tr[data-code="{code}"] [data-testid="value"]')
        .inner_text()
    )


def _export(page) -> dict:
    """Open the pivot of the dashboard's indicator and region, download its Excel export and
    read it: `{row label: value}`."""
    page.get_by_test_id("dashboard-pivot").click()
    expect(page.get_by_test_id("pivot-values")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_test_id("pivot-export").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    with open(download.value.path(), "rb") as handle:
        sheet = load_workbook(io.BytesIO(handle.read())).active
    rows = {r[0]: r[1] for r in sheet.iter_rows(min_row=2, values_only=True)}
    page.go_back()
    return rows


def test_dashboard_drill_down_journey(page, live_server, province):
    base = live_server.url
    sign_in(page, base, "gd_dash")
    page.goto(f"{base}/")
    page.get_by_test_id("home-dashboard").click()
    expect(page).to_have_url(f"{base}/indicators/dashboard/")
    # The journey's month (the world's figures are for November 2026).
    page.get_by_label("月份").select_option("2026-11")
    page.get_by_test_id("dashboard-form").get_by_role("button").click()

    # 广东: the cities on the map, coloured by the visit rate.
    chart = _map_ready(page, "map")
    assert int(chart.get_attribute("data-map-regions")) >= 21
    coloured = page.evaluate(
        """() => {
            const option = echarts.getInstanceByDom(document.getElementById("dash-map"))
                .getOption();
            return {data: option.series[0].data, visual: option.visualMap.length};
        }"""
    )
    assert coloured["visual"] == 1
    valued = {d["name"]: d["value"] for d in coloured["data"] if d.get("value") is not None}
    assert valued == {
        GZ: pytest.approx(66.6667, abs=1e-3),
        QY: 50,
    }
    expect(page.get_by_test_id("card-elderly_visit_rate")).to_have_attribute("data-light", "red")
    cities, province_total = _figures(page)
    _adds_up(cities, province_total)
    assert province_total == (3, 5)
    assert _value_of(page, GZ) == "66.7%" or _value_of(page, GZ).startswith("66.")
    exported = _export(page)
    assert exported["广州市"] == pytest.approx(66.67)
    assert exported["清远市"] == pytest.approx(50)
    assert exported["合计 · 广东省"] == pytest.approx(60)

    # Click 广州 on the map: 广州's dashboard, its districts on the map.
    _map_ready(page, "map")
    _click_on_map(page, GUANGZHOU_POINT)
    expect(page).to_have_url(f"{base}/indicators/dashboard/?region={GZ}"
                             "&indicator=elderly_visit_rate&period=2026-11")  # fmt: skip
    _map_ready(page, "map")
    districts, city_total = _figures(page)
    _adds_up(districts, city_total)
    assert city_total == cities[GZ]
    exported = _export(page)
    assert exported["天河区"] == pytest.approx(66.67)
    assert exported["合计 · 广州市"] == pytest.approx(66.67)

    # Click 天河 on 广州's map: 天河's dashboard; no township boundaries, a ranked bar chart.
    _map_ready(page, "map")
    _click_on_map(page, TIANHE_POINT)
    expect(page).to_have_url(f"{base}/indicators/dashboard/?region={TH}"
                             "&indicator=elderly_visit_rate&period=2026-11")  # fmt: skip
    _map_ready(page, "bar")
    townships, county_total = _figures(page)
    _adds_up(townships, county_total)
    assert county_total == districts[TH] == (2, 3)
    expect(page.get_by_test_id("dashboard-trail")).to_contain_text("广东省")
    expect(page.get_by_test_id("dashboard-trail")).to_contain_text("广州市")
    exported = _export(page)
    assert exported["五山街道"] == pytest.approx(66.67)
    assert exported["合计 · 天河区"] == pytest.approx(66.67)


def test_the_nation_sees_its_provinces_on_the_map(page, live_server, province):
    from tests.factories import MembershipFactory, OrganisationFactory

    nation = OrganisationFactory(
        name="中央社会工作部", kind="sw_department", region_id="000000000000"
    )
    MembershipFactory(organisation=nation, role="dept_leader", user__username="cn_dash")
    sign_in(page, live_server.url, "cn_dash")
    page.goto(f"{live_server.url}/indicators/dashboard/?period=2026-11")
    chart = _map_ready(page, "map")
    assert int(chart.get_attribute("data-map-regions")) >= 31
    expect(
        page.get_by_test_id("dashboard-children").locator(f'tr[data-code="{GD}"]')
    ).to_contain_text("60.0%")
