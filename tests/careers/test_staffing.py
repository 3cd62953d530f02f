"""Done-when 5: the staffing and retention roll-up of Guangdong drills down from the province to
the stations and matches a hand count; another county's workers are invisible (pages, API,
exports)."""

from __future__ import annotations

from datetime import date

import pytest

from shegong.careers import selectors, services


def _row(rollup, key):
    return next(r for r in rollup.rows if r.key == key)


@pytest.mark.django_db
def test_guangdong_rollup_drills_to_stations_and_matches_a_hand_count(
    guangdong, django_assert_max_num_queries
):
    province, _tianhe, _yingde, _w = guangdong
    with django_assert_max_num_queries(12):
        top = selectors.staffing_rollup(fetched_by=province, year=2026)
    guangzhou, qingyuan = _row(top, "4401"), _row(top, "4418")
    # 广州: 2 stations × 3 posts = 6; station workers in post 甲 乙 丁 = 3; vacant 3;
    # all in post 甲 乙 丁 戊 = 4, certified 甲 戊 = 2; joiners 丁; leavers 丙;
    # at the start of 2026: 甲 乙 丙 戊 = 4, still in post at the end: 3.
    assert (guangzhou.stations, guangzhou.standard_posts, guangzhou.station_filled) == (2, 6, 3)
    assert (guangzhou.vacant, guangzhou.in_post, guangzhou.certified) == (3, 4, 2)
    assert (guangzhou.joiners, guangzhou.leavers, guangzhou.at_start, guangzhou.retained) == (
        1, 1, 4, 3,
    )  # fmt: skip
    assert guangzhou.retention_rate == pytest.approx(0.75)
    # 清远 (英德市): 1 station, 3 posts, 己 庚 in post, 庚 certified, 辛 left.
    assert (qingyuan.stations, qingyuan.standard_posts, qingyuan.station_filled) == (1, 3, 2)
    assert (qingyuan.in_post, qingyuan.certified, qingyuan.leavers, qingyuan.retained) == (
        2, 1, 1, 2,
    )  # fmt: skip
    assert top.total.in_post == 6 and top.total.standard_posts == 9
    assert top.guidance.monthly_yuan == 5000
    assert (top.total.paid, top.total.pay_average, top.total.below_guidance) == (2, 5250, 1)
    assert dict(top.leave_reasons) == {"薪酬偏低": 1, "家庭原因": 1}

    city = selectors.staffing_rollup(fetched_by=province, region_code=guangzhou.drill, year=2026)
    tianhe_row = _row(city, "440106")
    assert (tianhe_row.stations, tianhe_row.in_post, tianhe_row.vacant) == (2, 4, 3)
    county = selectors.staffing_rollup(fetched_by=province, region_code=tianhe_row.drill, year=2026)
    wushan_row = _row(county, "440106001")
    assert (wushan_row.stations, wushan_row.station_filled, wushan_row.leavers) == (1, 2, 1)
    # The agency sits at the county itself: its own row (the county's code), not a township's.
    township = selectors.staffing_rollup(
        fetched_by=province, region_code=wushan_row.drill, year=2026
    )
    assert township.by_organisation
    [station] = township.rows
    assert (station.name, station.standard_posts, station.station_filled, station.vacant) == (
        "五山街道社工站", 3, 2, 1,
    )  # fmt: skip
    assert station.certified_share == pytest.approx(0.5)


@pytest.mark.django_db
def test_another_countys_workers_are_invisible(guangdong, client, login):
    _province, tianhe, _yingde, w = guangdong
    rollup = selectors.staffing_rollup(fetched_by=tianhe, year=2026)
    assert rollup.total.in_post == 4
    assert {r.name for r in rollup.rows} >= {"五山街道", "石牌街道"}
    login(tianhe)
    page = client.get("/careers/staffing/?year=2026")
    assert page.status_code == 200 and "英城" not in page.content.decode()
    assert client.get("/careers/staffing/?region=441881000000&year=2026").status_code == 404
    assert client.get("/careers/staffing/export/?region=441881000000").status_code == 404
    assert client.get("/api/v1/careers/staffing?region=441881000000").status_code == 404
    api = client.get("/api/v1/careers/staffing?year=2026").json()
    assert api["total"]["in_post"] == 4 and api["leave_reasons"] == {"薪酬偏低": 1}
    export = client.get("/careers/staffing/export/?year=2026")
    assert export.status_code == 200
    assert client.get(f"/careers/workers/{w['f'].pk}/").status_code == 404
    services.conduct_record(
        acting_user=_province,
        worker=w["f"],
        kind="reward",
        title="优秀社工",
        basis="清远市表彰决定",
        decided_on=date(2026, 3, 1),
        issuer="清远市委社会工作部",
    )
    assert "优秀社工" not in client.get("/careers/conduct/").content.decode()
    assert client.get("/api/v1/careers/conduct").json()["items"] == []


@pytest.mark.django_db
def test_funds_shortfall_reads_the_register(guangdong):
    from shegong.funds.indicators import _shortfall
    from shegong.regions.models import Region

    parent = Region.objects.get(code="440106000000")
    children = list(Region.objects.filter(parent_id=parent.code).order_by("code"))
    shortfall = _shortfall(parent, children)
    # 五山街道: 1 station × 3 − 甲 乙 in post = 1; 石牌街道: 3 − 丁 = 2.
    assert shortfall["440106001000"] == 1
    assert shortfall["440106002000"] == 2
