"""The pivot: indicators × child regions (ranked by each indicator's direction, the bottom units
flagged) or × periods, each beside the previous period; the Excel export carries the same
figures; another county's user gets 404 for 天河 on the page and the export."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from shegong.indicators import selectors
from shegong.indicators.models import Indicator
from shegong.indicators.periods import Period
from shegong.indicators.selectors import Cell
from tests.indicators import world

NOV = Period.parse("2026-11")
GZ, QY = "440100000000", "441800000000"


@pytest.fixture
def built(db):
    world.build()


@pytest.fixture
def guangdong(make_member):
    return make_member("dept_leader", "440000000000", name="广东省委社会工作部")


def _get(*codes):
    return [Indicator.objects.get(code=c) for c in codes]


@pytest.mark.django_db
def test_ranking_follows_the_direction_and_flags_the_bottom():
    higher, lower = _get("satisfaction_rate", "repeat_petition_rate")
    values = [Decimal(v) for v in (90, 50, 70, 50, 10, 80)]
    cells = [Cell(higher, v, None) for v in values] + [Cell(higher, None, None)]
    selectors.rank(cells)
    assert [c.rank for c in cells] == [1, 4, 3, 4, 6, 2, None]
    assert [c.bottom for c in cells] == [False, True, False, True, True, False, False]
    cells = [Cell(lower, v, None) for v in values]
    selectors.rank(cells)
    assert [c.rank for c in cells] == [6, 2, 4, 2, 1, 5]
    assert [c.bottom for c in cells] == [True, False, True, False, False, True]
    two = [Cell(lower, Decimal(1), None), Cell(lower, Decimal(2), None)]
    selectors.rank(two)
    assert [c.bottom for c in two] == [False, True]
    one = [Cell(lower, Decimal(1), None)]
    selectors.rank(one)
    assert one[0].rank == 1 and not one[0].bottom


@pytest.mark.django_db
def test_the_province_pivots_indicators_by_city(built, guangdong):
    found = selectors.pivot(
        fetched_by=guangdong,
        indicators=_get("satisfaction_rate", "repeat_petition_rate"),
        period=NOV,
    )
    assert found.region_code == "440000000000"
    rows = {r.key: r for r in found.rows}
    # 广州 (天河): satisfied 1 of 3 rated, repeat 2 of 4; 清远 (英德): 1 of 1, 0 of 1.
    gz, qy = rows[GZ].cells, rows[QY].cells
    assert gz[0].value == Decimal(100) / 3 and qy[0].value == Decimal(100)
    assert (qy[0].rank, gz[0].rank, gz[0].bottom, qy[0].bottom) == (1, 2, True, False)
    assert (gz[1].value, qy[1].value) == (Decimal(50), Decimal(0))
    assert (qy[1].rank, gz[1].rank, gz[1].bottom, qy[1].bottom) == (1, 2, True, False)
    assert rows["440300000000"].cells[0].value is None  # 深圳: not ranked
    assert rows["440300000000"].cells[0].rank is None
    assert found.total.cells[0].value == Decimal(50)  # 2 of 4, the cities added up
    # October: 天河's m4 rated in November only, nothing rated: no previous value
    assert gz[0].previous is None


@pytest.mark.django_db
def test_the_county_pivots_indicators_by_period(built, guangdong):
    found = selectors.pivot(
        fetched_by=guangdong,
        indicators=_get("satisfaction_rate", "matters_overdue_rate"),
        region_code="440106000000",
        period=NOV,
        axis="periods",
        count=4,
    )
    assert [r.key for r in found.rows] == ["2026-08", "2026-09", "2026-10", "2026-11"]
    november = found.rows[-1].cells
    assert november[0].value == Decimal(100) / 3
    assert november[1].value == Decimal(25)  # m3 overdue of 4 received
    assert found.rows[0].cells[0].value is None


@pytest.mark.django_db
def test_page_and_export_show_the_same_figures(built, guangdong, client, login):
    login(guangdong)
    query = "?indicator=satisfaction_rate&indicator=repeat_petition_rate&period=2026-11"
    page = client.get(f"/indicators/pivot/{query}")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-key="440100000000"' in html and "data-bottom" in html
    response = client.get(f"/indicators/pivot/export/{query}")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = {r[0]: r for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows["广州市"][1] == pytest.approx(33.33)
    assert rows["清远市"][1] == 100
    assert rows["广州市"][4] == "2 靠后" or rows["广州市"][4].startswith("2 ")
    assert rows["合计 · 广东省"][1] == 50
    by_period = client.get(
        "/indicators/pivot/export/?indicator=satisfaction_rate&by=periods&count=4"
        "&region=440106000000&period=2026-11"
    )
    sheet = load_workbook(io.BytesIO(by_period.content)).active
    assert [r[0] for r in sheet.iter_rows(min_row=2, values_only=True)][-1] == "2026-11"


@pytest.mark.django_db
def test_bad_input_is_a_404(built, guangdong, client, login):
    login(guangdong)
    for query in ("?indicator=nope", "?period=bad", "?count=7", "?count=x"):
        assert client.get(f"/indicators/pivot/{query}").status_code == 404, query


@pytest.mark.django_db
def test_another_county_gets_404_for_tianhe(built, other_county_user, client, login):
    login(other_county_user)
    for path in ("/indicators/pivot/", "/indicators/pivot/export/"):
        for query in (
            "?indicator=satisfaction_rate&region=440106000000&period=2026-11",
            "?indicator=satisfaction_rate&region=440106001000&period=2026-11",
            "?indicator=satisfaction_rate&region=440000000000&period=2026-11",
            "?indicator=satisfaction_rate&region=440106000000&by=periods&period=2026-11",
            "?region=440106000000",
        ):
            assert client.get(path + query).status_code == 404, path + query
    own = client.get("/indicators/pivot/?indicator=satisfaction_rate&period=2026-11")
    assert own.status_code == 200
    html = own.content.decode()
    assert "440106" not in html and "天河" not in html
