"""Values by region and period: drill-down from the province to a county, the previous period
beside each value, the cache written by the refresh (counties rolled up to cities, provinces and
the nation by summing numerators and denominators) and read by the page; every region checked
against the reader (pages and API)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from shegong.indicators import selectors, services
from shegong.indicators.models import Indicator, IndicatorValue
from shegong.indicators.periods import Period
from tests.indicators import world

NOV = Period.parse("2026-11")


@pytest.fixture
def built(db):
    world.build()


@pytest.fixture
def guangdong(make_member):
    return make_member("dept_leader", "440000000000", name="广东省委社会工作部")


def _rate():
    return Indicator.objects.get(code="satisfaction_rate")


@pytest.mark.django_db
def test_the_province_drills_down_to_a_county(built, guangdong):
    table = selectors.indicator_table(
        fetched_by=guangdong, indicator=_rate(), region_code="", period=NOV
    )
    assert table.region_code == "440000000000" and table.computed_at is None
    rows = {r.code: r for r in table.rows}
    # 广州 (天河 1 of 3) and 清远 (英德 1 of 1): the cities add up to the province (2 of 4).
    assert (rows["440100000000"].figure.numerator, rows["440100000000"].figure.denominator) == (
        1,
        3,
    )
    assert rows["441800000000"].value == Decimal(100)
    assert (table.total.figure.numerator, table.total.figure.denominator) == (2, 4)
    assert table.total.value == Decimal(50)
    assert rows["440300000000"].value is None  # 深圳: nothing rated
    county = selectors.indicator_table(
        fetched_by=guangdong, indicator=_rate(), region_code="440106000000", period=NOV
    )
    townships = {r.code: r for r in county.rows}
    assert townships["440106001000"].figure.numerator == 1
    assert county.total.figure.denominator == 3


@pytest.mark.django_db
def test_the_previous_period_is_beside_the_value(built, guangdong):
    table = selectors.indicator_table(
        fetched_by=guangdong,
        indicator=Indicator.objects.get(code="visits_per_plan"),
        region_code="440106000000",
        period=NOV,
    )
    # October in 天河: one visit (v4) over 3 plans; November: 3 over 3.
    assert table.total.value == Decimal(1)
    assert table.total.previous.quantize(Decimal("0.01")) == Decimal("0.33")
    assert table.total.change.quantize(Decimal("0.01")) == Decimal("0.67")


@pytest.mark.django_db
def test_refresh_rolls_counties_up_and_the_page_reads_the_cache(built, guangdong):
    written = services.values_refresh(period=NOV, indicators=[_rate()])
    cached = {
        v.region_code: (v.numerator, v.denominator, v.value)
        for v in IndicatorValue.objects.unscoped(reason="test").filter(indicator=_rate())
    }
    from shegong.regions.models import Region

    # Every region down to the counties has a row, a zero where nothing was counted (so that a
    # page never counts again what was none); six have figures: 2 counties, 2 cities, 广东, the
    # nation.
    assert written == len(cached) == Region.objects.filter(level__lte=3).count()
    counted = {code for code, (_n, denominator, _v) in cached.items() if denominator}
    assert counted == {
        "440106000000", "441881000000", "440100000000", "441800000000", "440000000000",
        "000000000000",
    }  # fmt: skip
    assert cached["110101000000"] == (0, 0, None)  # 东城区: a county with nothing
    assert cached["440106000000"][:2] == (1, 3)
    assert cached["440100000000"][:2] == (1, 3)
    assert cached["441881000000"][2] == 100
    assert cached["440000000000"] == (2, 4, 50)
    assert cached["000000000000"] == (2, 4, 50)  # the nation
    # A new rating after the refresh: the page shows the cache (and when it was computed)
    # until the next refresh.
    world.matter(
        world.Y_VILLAGE,
        NOV.start,
        rating="dissatisfied",
        rated_on=NOV.end,
    )
    table = selectors.indicator_table(
        fetched_by=guangdong, indicator=_rate(), region_code="", period=NOV
    )
    assert table.computed_at is not None and table.total.value == Decimal(50)
    services.values_refresh(period=NOV, indicators=[_rate()])
    table = selectors.indicator_table(
        fetched_by=guangdong, indicator=_rate(), region_code="", period=NOV
    )
    assert table.total.value == Decimal(40)  # 2 of 5


@pytest.mark.django_db
def test_the_night_task_refreshes_every_indicator(built, guangdong):
    from shegong.indicators.tasks import DAILY, indicators_refresh_task

    assert DAILY[0][0] is indicators_refresh_task
    written = indicators_refresh_task.call()
    assert written > 0
    assert (
        IndicatorValue.objects.unscoped(reason="test")
        .filter(indicator__code="satisfaction_rate")
        .exists()
    )


@pytest.mark.django_db
def test_pages_drill_down_and_refresh(built, guangdong, client, login):
    login(guangdong)
    page = client.get("/indicators/")
    assert page.status_code == 200 and "satisfaction_rate" in page.content.decode()
    page = client.get("/indicators/satisfaction_rate/?period=2026-11")
    html = page.content.decode()
    assert page.status_code == 200
    assert 'href="?region=440100000000&period=2026-11"' in html  # drill to 广州
    assert "50.0%" in html
    page = client.get("/indicators/satisfaction_rate/?region=440106000000&period=2026-11")
    assert "33.3%" in page.content.decode()
    response = client.post("/indicators/satisfaction_rate/refresh/", {"period": "2026-11"})
    assert response.status_code == 302
    assert (
        IndicatorValue.objects.unscoped(reason="test")
        .filter(indicator__code="satisfaction_rate", period_start=NOV.start)
        .exists()
    )


@pytest.mark.django_db
def test_another_county_sees_nothing_of_tianhe(built, other_county_user, client, login):
    """英德 shares only Guangdong with 天河: neither the province's nor 天河's values reach it,
    on pages or through the API, cached or not."""
    services.values_refresh(period=NOV, indicators=[_rate()])
    login(other_county_user)
    for url in (
        "/indicators/satisfaction_rate/?region=440106000000&period=2026-11",
        "/indicators/satisfaction_rate/?region=440106001000&period=2026-11",
        "/indicators/satisfaction_rate/?region=440000000000&period=2026-11",
        "/indicators/satisfaction_rate/?region=440100000000&period=2026-11",
        "/api/v1/indicators/satisfaction_rate/values?region=440106&period=2026-11",
        "/api/v1/indicators/satisfaction_rate/values?region=44&period=2026-11",
    ):
        assert client.get(url).status_code == 404, url
    own = client.get("/api/v1/indicators/satisfaction_rate/values?period=2026-11").json()
    assert own["region_code"] == "441881000000"
    assert Decimal(own["total"]["numerator"]) == Decimal(own["total"]["denominator"]) == 1
    assert all(c["region_code"].startswith("441881") for c in own["children"])
    page = client.get("/indicators/satisfaction_rate/?period=2026-11").content.decode()
    assert "440106" not in page and "天河" not in page


@pytest.mark.django_db
def test_the_api_answers_values_for_a_region(built, guangdong, client, login):
    login(guangdong)
    body = client.get(
        "/api/v1/indicators/satisfaction_rate/values?region=440106&period=2026-11"
    ).json()
    assert body["region_code"] == "440106000000" and body["period_end"] == "2026-11-30"
    assert Decimal(body["total"]["value"]) == Decimal(100) / 3
    response = client.get("/api/v1/indicators/satisfaction_rate/values?period=2026-13")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "period"
    assert client.get("/api/v1/indicators/nope/values").status_code == 404


@pytest.mark.django_db
def test_a_refresh_on_demand_rewrites_only_the_readers_subtree(built, other_county_user):
    services.values_refresh(period=NOV, indicators=[_rate()])
    before = dict(
        IndicatorValue.objects.unscoped(reason="test").values_list("region_code", "computed_at")
    )
    written = services.values_refresh(
        acting_user=other_county_user, period=NOV, indicators=[_rate()]
    )
    after = dict(
        IndicatorValue.objects.unscoped(reason="test").values_list("region_code", "computed_at")
    )
    assert written == 1
    assert {code for code in after if after[code] != before[code]} == {"441881000000"}
    assert set(after) == set(before)


@pytest.mark.django_db
def test_numerators_are_written_by_their_sources_kind(built, guangdong, client, login):
    login(guangdong)
    html = client.get(
        "/indicators/funds_disbursed_rate/?region=440106000000&period=2026-Q4"
    ).content.decode()
    assert "¥1,000.00" in html and "¥4,000.00" in html and "25.0%" in html
    html = client.get(
        "/indicators/volunteer_hours_per_volunteer/?region=440000000000&period=2026-11"
    ).content.decode()
    assert "9.5" in html  # hours: 5.5 in 天河 and 4 in 英德


@pytest.mark.django_db
def test_the_night_refresh_counts_each_source_once_per_period_and_an_undated_one_once(
    built, monkeypatch
):
    """Many indicators share sources: within a period each is counted once; the stations'
    figures (no history kept) once for the whole run of 18 periods."""
    from dataclasses import replace
    from datetime import date

    from shegong.core import registry
    from shegong.indicators.tasks import night_periods, night_refresh

    calls: dict[str, int] = {}

    def counting(source):
        def figures(*args):
            calls[source.key] = calls.get(source.key, 0) + 1
            return source.figures(*args)

        return replace(source, figures=figures)

    for key in ("stations", "stations_staffed", "residents_active", "visit_plans"):
        monkeypatch.setitem(
            registry.indicator_sources, key, counting(registry.indicator_sources[key])
        )
    today = date(2026, 12, 7)
    periods = night_periods(today)
    assert len(periods) == 18 and periods[0].text == "2026-11" and periods[-1].text == "R2026-11"
    assert night_refresh(today) > 0
    assert calls["stations"] == calls["stations_staffed"] == 1
    # residents_active: two indicators use it in every period; visit_plans: three
    assert calls["residents_active"] == calls["visit_plans"] == 18
    cached = IndicatorValue.objects.unscoped(reason="test").filter(
        indicator__code="stations_staffed_rate", period_type="month", region_code="440106000000"
    )
    assert cached.count() == 12 and len({(v.numerator, v.denominator) for v in cached}) == 1
