"""Staffing standards of township social work stations: set per province or city (or the
national default), inherited downward, set only by an administrator whose jurisdiction covers
the region, with history; a station's staffing gap and the allocation shortfall use them."""

import pytest
from django.core.exceptions import ValidationError

from shegong.core.history import history_of
from shegong.funds.indicators import collect_values
from shegong.orgs import selectors, services
from shegong.orgs.models import Kind, Organisation, StaffingStandard
from shegong.regions.models import Region
from tests.api.conftest import TokenClient, token_for
from tests.factories import MembershipFactory

GUANGDONG = "440000000000"
GUANGZHOU = "440100000000"
TIANHE = "440106000000"
YINGDE = "441881000000"
LIBO = "522722000000"  # 贵州省荔波县: no provincial standard


def _set(user, region_code, n, **extra):
    return services.staffing_standard_set(
        acting_user=user,
        region_code=region_code,
        workers_per_station=n,
        document_title=extra.pop("document_title", "测试文件"),
        **extra,
    )


def _station(region_code, workers=0, name="测试社工站"):
    station = Organisation.objects.create(
        name=name, kind=Kind.SOCIAL_WORK_STATION, region_id=region_code
    )
    for _i in range(workers):
        MembershipFactory(organisation=station, role="station_worker")
    return station


@pytest.fixture
def province_admin(make_member):
    return make_member("dept_leader", GUANGDONG, name="广东省委社会工作部")


@pytest.fixture
def city_admin(make_member):
    return make_member("dept_leader", GUANGZHOU, name="广州市委社会工作部")


@pytest.fixture
def county_admin(make_member):
    return make_member("dept_leader", TIANHE, name="天河区委社会工作部")


@pytest.mark.django_db
def test_the_seeded_standards_are_guangdongs_with_its_document_and_a_national_default():
    guangdong = StaffingStandard.objects.get(region_code=GUANGDONG)
    assert guangdong.workers_per_station == 3 and guangdong.funding_per_station == 150_000_00
    assert "粤民函〔2017〕43号" in guangdong.source
    national = StaffingStandard.objects.get(region_code="")
    assert "国家未规定" in national.source


@pytest.mark.django_db
def test_a_county_and_a_township_use_their_province_else_the_national_default(province_admin):
    _set(province_admin, GUANGDONG, 4, document_number="粤测〔2026〕1号")
    for code in (TIANHE, "440106001000", YINGDE):
        assert selectors.staffing_standard_resolve(code).region_code == GUANGDONG
        assert selectors.staffing_standard_resolve(code).workers_per_station == 4
    assert selectors.staffing_standard_resolve(LIBO).region_code == ""


@pytest.mark.django_db
def test_a_city_may_set_a_stricter_standard_for_its_own_counties_only(city_admin):
    city = _set(city_admin, GUANGZHOU, 5, document_title="广州市社工站建设标准")
    assert selectors.staffing_standard_resolve(TIANHE) == city
    assert selectors.staffing_standard_resolve(YINGDE).region_code == GUANGDONG  # 清远市
    with pytest.raises(ValidationError) as exc:
        _set(city_admin, GUANGZHOU, 2)
    assert "不能低于上级标准" in exc.value.message_dict["workers_per_station"][0]
    assert "粤民函〔2017〕43号" in exc.value.message_dict["workers_per_station"][0]
    assert StaffingStandard.objects.get(region_code=GUANGZHOU).workers_per_station == 5


@pytest.mark.django_db
def test_a_province_cannot_rise_above_a_city_standard_already_set(city_admin, province_admin):
    _set(city_admin, GUANGZHOU, 4)
    with pytest.raises(ValidationError) as exc:
        _set(province_admin, GUANGDONG, 6)
    assert "请先调整下级标准" in exc.value.message_dict["workers_per_station"][0]
    assert StaffingStandard.objects.get(region_code=GUANGDONG).workers_per_station == 3


@pytest.mark.django_db
def test_a_county_admin_cannot_change_the_province_or_set_a_county_standard(county_admin):
    with pytest.raises(ValidationError) as exc:
        _set(county_admin, GUANGDONG, 9)
    assert "region" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        _set(county_admin, TIANHE, 9)
    assert "region" in exc.value.message_dict
    with pytest.raises(ValidationError):
        _set(county_admin, "", 9)
    assert StaffingStandard.objects.get(region_code=GUANGDONG).workers_per_station == 3
    assert not StaffingStandard.objects.filter(region_code=TIANHE).exists()


@pytest.mark.django_db
def test_another_provinces_admin_cannot_change_guangdongs(make_member):
    guizhou = make_member("dept_leader", "520000000000", name="贵州省委社会工作部")
    with pytest.raises(ValidationError):
        _set(guizhou, GUANGDONG, 5)
    own = _set(guizhou, "520000000000", 2, document_title="贵州省测试文件")
    assert selectors.staffing_standard_resolve(LIBO) == own


@pytest.mark.django_db
def test_a_change_keeps_its_history_with_who_and_the_old_figure(province_admin):
    standard = _set(province_admin, GUANGDONG, 4, document_number="粤测〔2026〕2号")
    entries = history_of(standard)
    changed = [c for e in entries for c in e.changes if c.field == "workers_per_station"]
    assert changed and str(changed[0].old) == "3" and str(changed[0].new) == "4"
    assert any(e.user == province_admin for e in entries)


@pytest.mark.django_db
def test_a_stations_gap_uses_its_provinces_figure(province_admin, county_admin):
    station = _station("440106001000", workers=1)
    staffing = selectors.station_staffing(fetched_by=county_admin, station=station)
    assert (staffing.required, staffing.staffed, staffing.gap) == (3, 1, 2)
    _set(province_admin, GUANGDONG, 5)
    staffing = selectors.station_staffing(fetched_by=county_admin, station=station)
    assert staffing.gap == 4 and "测试文件" in staffing.standard.source


@pytest.mark.django_db
def test_the_allocation_shortfall_uses_each_citys_standard(province_admin, city_admin):
    _set(city_admin, GUANGZHOU, 6, document_title="广州市社工站建设标准")
    _station("440106001000", workers=1, name="天河站")  # 广州: 6 − 1
    _station("441881001000", workers=0, name="英德站")  # 清远 (province): 3 − 0
    parent = Region.objects.get(code=GUANGDONG)
    children = list(Region.objects.filter(parent_id=GUANGDONG).order_by("code"))
    found = {i.key: (i, v) for i, v in collect_values(parent, children)}
    indicator, values = found["staffing_shortfall"]
    assert values["440100000000"] == 5 and values["441800000000"] == 3
    assert "广州市社工站建设标准" in indicator.source and "粤民函〔2017〕43号" in indicator.source


@pytest.mark.django_db
def test_the_page_sets_a_standard_and_refuses_a_county_admin(login, client, city_admin):
    response = login(city_admin).post(
        "/orgs/standards/",
        {"region": "4401", "workers_per_station": "4", "document_title": "广州市测试文件"},
    )
    standard = StaffingStandard.objects.get(region_code=GUANGZHOU)
    assert response.status_code == 302 and response["Location"] == f"/orgs/standards/{standard.pk}/"
    page = client.get(f"/orgs/standards/{standard.pk}/").content.decode()
    assert "广州市测试文件" in page and 'data-testid="history"' in page
    listing = client.get("/orgs/standards/").content.decode()
    assert "粤民函〔2017〕43号" in listing and "广州市测试文件" in listing


@pytest.mark.django_db
def test_the_page_form_of_a_county_admin_refuses_the_province(login, county_admin):
    response = login(county_admin).post(
        "/orgs/standards/",
        {"region": "44", "workers_per_station": "9", "document_title": "越权"},
    )
    assert response.status_code == 200
    assert 'data-testid="error-region"' in response.content.decode()
    assert StaffingStandard.objects.get(region_code=GUANGDONG).workers_per_station == 3


@pytest.mark.django_db
def test_staff_without_the_permission_cannot_post(login, make_member):
    staff = make_member("dept_staff", GUANGDONG, name="广东省委社会工作部")
    response = login(staff).post(
        "/orgs/standards/",
        {"region": "44", "workers_per_station": "9", "document_title": "无权"},
    )
    assert response.status_code == 403
    assert StaffingStandard.objects.get(region_code=GUANGDONG).workers_per_station == 3


@pytest.mark.django_db
def test_the_station_page_shows_the_gap_and_its_source(login, county_admin):
    station = _station("440106001000", workers=2)
    page = login(county_admin).get(f"/orgs/{station.pk}/").content.decode()
    assert "缺口 1 名" in page and "粤民函〔2017〕43号" in page


@pytest.mark.django_db
def test_the_api_sets_resolves_and_refuses(client, city_admin, county_admin):
    api = TokenClient(client, token_for(city_admin))
    response = api._send(
        "put",
        "/api/v1/orgs/standards",
        {"region": "广州市", "workers_per_station": 4, "document_title": "广州市测试文件"},
    )
    assert response.status_code == 200, response.content
    assert response.json()["region_code"] == GUANGZHOU and response.json()["place"] == "广州市"
    county = TokenClient(client, token_for(county_admin))
    applies = county.get("/api/v1/orgs/standards/applies").json()
    assert applies["workers_per_station"] == 4 and applies["source"] == "广州市测试文件"
    refused = county._send(
        "put",
        "/api/v1/orgs/standards",
        {"region": "44", "workers_per_station": 9, "document_title": "越权"},
    )
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "region"
    listed = {s["region_code"] for s in county.get("/api/v1/orgs/standards").json()}
    assert {"", GUANGDONG, GUANGZHOU} <= listed
    pk = StaffingStandard.objects.get(region_code=GUANGZHOU).pk
    history = county.get(f"/api/v1/orgs/standards/{pk}/history").json()
    assert history and history[0]["kind"]
