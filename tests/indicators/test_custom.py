"""A province's own indicators: defined on a page or through the API, validated before saving
(refusals name the field and the problem), read in the province's subtree only."""

from __future__ import annotations

import pytest

from shegong.indicators import selectors, services
from shegong.indicators.models import Indicator

GOOD = {
    "code": "gd_visits_per_due",
    "name_zh": "广东探访完成比",
    "name_en": "Visits per visit due",
    "definition": "本期探访次数除以应探访次数。",
    "basis": "广东省探访关爱实施方案",
    "numerator": "visits_done",
    "denominator": "visits_due",
    "factor": 100,
    "period_types": ["month", "year"],
    "direction": "higher",
}


@pytest.fixture
def guangdong(make_member):
    return make_member("dept_leader", "440000000000", name="广东省委社会工作部")


@pytest.mark.django_db
def test_a_province_defines_an_indicator_read_in_its_subtree_only(
    guangdong, make_member, county_user
):
    indicator = services.indicator_create(acting_user=guangdong, **GOOD)
    assert indicator.owner_prefix == "44" and not indicator.is_shipped
    assert indicator.periods == ["month", "year"]
    assert indicator.history.count() == 1
    codes = set(selectors.indicator_list(fetched_by=county_user).values_list("code", flat=True))
    assert "gd_visits_per_due" in codes  # 天河 is in Guangdong
    hunan = make_member("dept_leader", "430000000000", name="湖南省委社会工作部")
    codes = set(selectors.indicator_list(fetched_by=hunan).values_list("code", flat=True))
    assert "gd_visits_per_due" not in codes and "satisfaction_rate" in codes


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"numerator": "vist_done"}, "numerator", "未知的数据来源“vist_done”"),
        ({"denominator": "visits_due +"}, "denominator", "语法错误"),
        ({"denominator": "visits_due / 0"}, "denominator", "不能除以常数零"),
        ({"numerator": "open('x')"}, "numerator", "不允许的写法"),
        ({"factor": 50}, "factor", "系数只能是 1、100 或 10000"),
        ({"period_types": ["week"]}, "period_types", "week"),
        ({"code": "satisfaction_rate"}, "code", "已被使用"),
        ({"code": "坏 代码"}, "code", "代码只能由"),
    ],
)
def test_refusals_name_the_field_and_the_problem(guangdong, change, field, words):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as caught:
        services.indicator_create(acting_user=guangdong, **{**GOOD, **change})
    messages = caught.value.message_dict[field]
    assert any(words in m for m in messages), messages
    assert not Indicator.objects.filter(code=GOOD["code"]).exists()


@pytest.mark.django_db
def test_only_a_province_or_the_nation_defines(county_user, make_member, guangdong):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.indicator_create(acting_user=county_user, **GOOD)
    worker = make_member("station_worker", "440106001000", kind="sw_station")
    with pytest.raises(ValidationError):
        services.indicator_create(acting_user=worker, **GOOD)
    assert not Indicator.objects.filter(code=GOOD["code"]).exists()


@pytest.mark.django_db
def test_the_form_page_shows_the_refusal(guangdong, client, login):
    login(guangdong)
    page = client.get("/indicators/new/")
    assert page.status_code == 200 and "visits_done" in page.content.decode()
    data = {**GOOD, "numerator": "vist_done"}
    response = client.post("/indicators/new/", data)
    assert response.status_code == 200
    assert "未知的数据来源“vist_done”" in response.content.decode()
    response = client.post("/indicators/new/", GOOD)
    assert response.status_code == 302
    assert response["Location"] == "/indicators/gd_visits_per_due/"


@pytest.mark.django_db
def test_a_county_cannot_reach_the_form(county_user, client, login):
    login(county_user)  # dept_staff holds the permission, but a county is refused by the service
    response = client.post("/indicators/new/", GOOD)
    assert response.status_code == 200
    assert "只有省级或全国的部门可以自定义指标" in response.content.decode()
    assert not Indicator.objects.filter(code=GOOD["code"]).exists()


@pytest.mark.django_db
def test_the_api_defines_and_refuses(guangdong, client, login):
    login(guangdong)
    response = client.post(
        "/api/v1/indicators",
        {**GOOD, "numerator": "vist_done"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "numerator"
    assert "vist_done" in response.json()["errors"][0]["reason"]
    response = client.post(
        "/api/v1/indicators", {**GOOD, "code": "dashboard"}, content_type="application/json"
    )  # the dashboard page's address: refused, not shadowed
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "code"
    assert "dashboard" in response.json()["errors"][0]["reason"]
    response = client.post("/api/v1/indicators", GOOD, content_type="application/json")
    assert response.status_code == 201, response.content
    assert response.json()["owner_prefix"] == "44"
    listed = client.get("/api/v1/indicators").json()
    assert "gd_visits_per_due" in {i["code"] for i in listed}
