"""Regression tests for the causes of the server errors that schema fuzzing found (issue #10,
"Robustness"), and for the valid-but-absurd data the API used to accept. Each request below
answered 500 (or stored nonsense) before; each now answers a 4xx naming the field, in Chinese,
and writes nothing. The same rules hold for the pages, which call the same services.

The list of causes and where each was fixed: docs/decisions/0010-input-validation-and-fuzzing.md.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError

from shegong.api import api
from shegong.core.api_schema import MAX_PAGE

VILLAGE = "440106001001"  # 岳洲社区居委会, 五山街道, 天河区

pytestmark = pytest.mark.django_db


def paginated_lists() -> list[str]:
    document = api.get_openapi_schema(path_prefix="/api/v1/")
    return sorted(
        path
        for path, methods in document["paths"].items()
        if any(p["name"] == "page" for p in methods.get("get", {}).get("parameters", []))
    )


def reasons(response) -> dict[str, str]:
    return {e["field"]: e["reason"] for e in response.json()["errors"]}


@pytest.fixture
def leader_api(api_as, county_leader):
    return api_as(county_leader)


@pytest.fixture
def station_worker(make_member):
    return make_member("station_worker", "440106001000", kind="sw_station", name="五山街道社工站")


@pytest.fixture
def resident(station_worker):
    from shegong.people import services
    from shegong.people.models import Category
    from shegong.people.synthetic import make_id_number
    from shegong.regions.models import Region

    return services.resident_create(
        acting_user=station_worker,
        name="测试老人",
        id_number=make_id_number("440106", date(1945, 3, 8), 1, "M"),
        region=Region.objects.get(code=VILLAGE),
        categories=[Category.objects.get(code="living_alone")],
        confirm_duplicates=True,
    )


# ---- 1. a huge page on every paginated list (OverflowError / "datatype mismatch") ---------------


@pytest.mark.parametrize("path", paginated_lists())
def test_a_page_out_of_bounds_is_a_field_error_on_every_list(leader_api, path):
    # A list under an object (a directive's copies) is asked of object 1: the page is checked
    # before the object is looked up, so the answers are the same; the last page may be a 404.
    nested = "{" in path
    path = re.sub(r"\{[^}]+\}", "1", path)
    for page in (10**22, 0, -1, MAX_PAGE + 1):
        response = leader_api.get(path, {"page": page})
        assert response.status_code == 422, (path, page, response.content[:200])
        assert "page" in reasons(response)
    response = leader_api.get(path, {"page_size": 10**9})
    assert response.status_code == 422 and "page_size" in reasons(response)
    last = leader_api.get(path, {"page": MAX_PAGE, "page_size": 100})
    # an empty page, or the role may not read the list (or, nested, object 1 is not theirs)
    assert last.status_code in ((200, 403, 404) if nested else (200, 403))
    if last.status_code == 200:
        assert last.json()["items"] == [] and isinstance(last.json()["count"], int)


def test_paginated_lists_are_all_there():
    assert len(paginated_lists()) >= 17


# ---- 2–5. allocation plans: period and equity bound (CHECK constraints), source (KeyError) ------


@pytest.mark.parametrize(
    "field,value",
    [
        ("period", -6474),
        ("period", 167187822660754341888),
        ("period", 1999),
        ("equity_bound", -337),
        ("equity_bound", 7147),
        ("source", "é𑦢"),
        ("resource", "rÀ"),
    ],
)
def test_plan_inputs_outside_their_range_are_field_errors(leader_api, field, value):
    from shegong.funds.models import AllocationPlan

    body = {"title": "年度方案", "period": date.today().year, "pot": 100_000_00, field: value}
    response = leader_api.post("/api/v1/funds/plans", body)
    assert response.status_code == 422, response.content[:300]
    assert field in reasons(response)
    assert not AllocationPlan.objects.exists()


def test_plan_service_refuses_what_the_form_could_send(county_leader):
    """The pages call the same service: an unknown source or a year outside the window is a
    field error there too, not a KeyError or a CHECK violation."""
    from shegong.funds import services

    for kwargs, field in (
        ({"source": "nope"}, "source"),
        ({"period": 1900}, "period"),
        ({"period": date.today().year + 30}, "period"),
        ({"equity_bound": 5000}, "equity_bound"),
    ):
        arguments = {"title": "方案", "period": date.today().year, "pot": 100, **kwargs}
        with pytest.raises(ValidationError) as refused:
            services.plan_create(acting_user=county_leader, **arguments)
        assert field in refused.value.message_dict


# ---- 6. an activity in an unknown region (Region.DoesNotExist) ----------------------------------


def _activity(**changes):
    start = (date.today() + timedelta(days=7)).isoformat()
    return {
        "title": "重阳节敬老活动",
        "service_type": "elderly",
        "starts_at": f"{start}T09:00:00+08:00",
        "ends_at": f"{start}T11:00:00+08:00",
        **changes,
    }


def test_an_activity_in_an_unknown_region_is_a_field_error(leader_api):
    from shegong.volunteers.models import Activity

    response = leader_api.post("/api/v1/volunteers/activities", _activity(region="440106999999"))
    assert response.status_code == 422 and "region" in reasons(response)
    response = leader_api.post("/api/v1/volunteers/activities", _activity(region="ø\U00101219"))
    assert response.status_code == 422 and "region" in reasons(response)
    assert not Activity.objects.exists()
    assert leader_api.post("/api/v1/volunteers/activities", _activity()).status_code == 201


def test_activity_dates_outside_the_planning_window_are_refused(leader_api):
    far = date.today().replace(year=date.today().year + 20).isoformat()
    for starts_at in ("0322-11-08T19:48:22-08:13", f"{far}T09:00:00+08:00"):
        response = leader_api.post("/api/v1/volunteers/activities", _activity(starts_at=starts_at))
        assert response.status_code == 422 and "starts_at" in reasons(response)


# ---- 7. `opening_hours: null` on an organisation (NOT NULL constraint) ---------------------------


def test_null_for_a_text_of_an_organisation_is_a_field_error(leader_api, county_leader):
    org = county_leader.active_membership.organisation
    org.opening_hours = "周一至周五 9:00-17:00"
    org.save()
    response = leader_api.patch(f"/api/v1/orgs/{org.pk}", {"opening_hours": None})
    assert response.status_code == 422 and "opening_hours" in reasons(response)
    org.refresh_from_db()
    assert org.opening_hours == "周一至周五 9:00-17:00"
    cleared = leader_api.patch(f"/api/v1/orgs/{org.pk}", {"opening_hours": ""})
    assert cleared.status_code == 200 and cleared.json()["opening_hours"] == ""


# ---- 8. an impossible date in HSDS `modified_after` and Open311 `start_date` ---------------------


@pytest.mark.parametrize("value", ["2024-02-30", "2024-13-01T00:00:00", "2024-01-01T25:00:00"])
def test_an_impossible_date_in_a_public_filter_is_a_clear_400(client, value):
    hsds = client.get("/hsds/services", {"modified_after": value})
    assert hsds.status_code == 400
    assert "modified_after" in hsds.json()["errors"][0]["reason"]
    open311 = client.get("/open311/v2/requests.json", {"start_date": value})
    assert open311.status_code == 400
    assert "start_date" in open311.json()[0]["description"]


def test_a_huge_page_on_the_public_apis_is_not_a_server_error(client):
    hsds = client.get("/hsds/services", {"page": 10**30})
    assert hsds.status_code == 200 and hsds.json()["page_number"] == MAX_PAGE
    open311 = client.get("/open311/v2/requests.json", {"page": 10**30})
    assert open311.status_code == 400


# ---- 9. NUL and other control characters (PostgreSQL refuses NUL: a 500 on every search) --------


@pytest.mark.parametrize("text", ["\x00", "张\x00三", "a\x0bb", "\x1b[31m", "\x7f", "\ud800"])
def test_control_characters_are_refused_by_the_api_naming_the_field(leader_api, text):
    from shegong.orgs.models import Organisation

    if text != "\ud800":  # a lone surrogate can only travel inside JSON (as an escape)
        search = leader_api.get("/api/v1/orgs/", {"q": text})
        assert search.status_code == 422 and "控制字符" in reasons(search)["q"]
        region = leader_api.get(f"/api/v1/regions/4401060{text}")
        assert region.status_code in (404, 422)
    before = Organisation.objects.count()
    body = {"name": f"社工站{text}", "kind": "sw_station", "region": "440106001000"}
    created = leader_api.post("/api/v1/orgs/", body)
    assert created.status_code == 422 and "控制字符" in reasons(created)["name"]
    assert Organisation.objects.count() == before


def test_control_characters_are_removed_from_forms_filters_and_public_posts(client, login):
    """Pages: a pasted control character costs nobody their form; nothing stores it."""
    from shegong.petitions.models import Matter

    response = client.post(
        "/open311/v2/requests.json",
        {
            "service_code": _a_leaf_category(),
            "description": "路灯\x00不亮\x0b已经三天",
            "address_id": VILLAGE,
            "last_name": "王\x08",
            "phone": "13800000000",
        },
    )
    assert response.status_code == 200, response.content[:300]
    matter = Matter.objects.get(number=response.json()[0]["service_request_id"])
    assert matter.request == "路灯不亮已经三天"
    assert client.get("/hsds/services", {"search": "\x00社工"}).status_code == 200


def _a_leaf_category() -> str:
    from shegong.petitions.models import Category

    return (
        Category.objects.filter(is_active=True, children__isnull=True)
        .order_by("order", "code")
        .values_list("code", flat=True)
        .first()
    )


def test_a_control_character_in_a_page_filter_is_ignored(login, county_leader):
    client = login(county_leader)
    assert client.get("/orgs/", {"q": "\x00"}).status_code == 200
    assert client.get("/people/", {"q": "张\x00"}).status_code in (200, 403)


# ---- 10. valid-but-absurd dates: donations in 2099 or 9449, visits on 0001-01-01 ----------------


def _donation(**changes):
    return {"donor_name": "爱心企业", "amount": 50_000_00, "received_on": "2025-01-01", **changes}


@pytest.mark.parametrize("received_on", ["2099-01-01", "9449-05-17", "1999-12-31"])
def test_a_donation_dated_in_the_future_or_before_2000_is_refused(leader_api, received_on):
    from shegong.funds.models import Donation

    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    for value in (received_on, tomorrow):
        response = leader_api.post("/api/v1/funds/donations", _donation(received_on=value))
        assert response.status_code == 422 and "received_on" in reasons(response)
    assert not Donation.objects.exists()
    today = leader_api.post("/api/v1/funds/donations", _donation(received_on=str(date.today())))
    assert today.status_code == 201


def test_the_donation_service_refuses_a_future_date_for_the_pages_too(county_leader):
    from shegong.funds import services

    org = county_leader.active_membership.organisation
    donor = services.donor_create(acting_user=county_leader, kind="person", name="张三")
    with pytest.raises(ValidationError) as refused:
        services.donation_receive(
            acting_user=county_leader,
            organisation=org,
            donor=donor,
            kind="money",
            amount=100,
            received_on=date(2099, 1, 1),
        )
    assert "received_on" in refused.value.message_dict


@pytest.mark.parametrize("visited_on", ["0001-01-01", "1999-06-30", "2099-01-01"])
def test_a_visit_dated_outside_the_window_is_refused(api_as, station_worker, resident, visited_on):
    from shegong.people.models import Visit

    response = api_as(station_worker).post(
        f"/api/v1/people/residents/{resident.pk}/visits",
        {"visited_on": visited_on, "mode": "home"},
    )
    assert response.status_code == 422 and "visited_on" in reasons(response)
    assert not Visit.objects.exists()


def test_a_visit_before_the_resident_was_born_is_refused_by_the_service(station_worker):
    from shegong.people import services
    from shegong.people.models import Category
    from shegong.people.synthetic import make_id_number
    from shegong.regions.models import Region

    child = services.resident_create(
        acting_user=station_worker,
        name="测试儿童",
        id_number=make_id_number("440106", date(2015, 6, 1), 7, "F"),
        region=Region.objects.get(code=VILLAGE),
        categories=[Category.objects.get(code="living_alone")],
        confirm_duplicates=True,
    )
    with pytest.raises(ValidationError) as refused:
        services.visit_record(
            resident=child, acting_user=station_worker, visited_on=date(2010, 1, 1), mode="home"
        )
    assert "出生日期" in refused.value.message_dict["visited_on"][0]


# ---- 11. a ledger entry with the same account on both sides; amounts beyond BIGINT --------------


@pytest.fixture
def funded(county_leader):
    from shegong.funds import services

    org = county_leader.active_membership.organisation
    services.appropriation_post(
        acting_user=None, organisation=org, source="local", amount=1_000_00, memo="年初预算"
    )
    a = services.account_for(organisation=org, source="local")
    b = services.account_for(organisation=org, source="local", purpose="children")
    return a, b


def test_a_ledger_entry_with_the_same_account_on_both_sides_is_refused(leader_api, funded):
    from shegong.funds.models import JournalEntry

    a, _b = funded
    before = JournalEntry.objects.count()
    body = {
        "memo": "自己转给自己",
        "lines": [{"account_id": a.pk, "debit": 100}, {"account_id": a.pk, "credit": 100}],
    }
    response = leader_api.post("/api/v1/funds/entries", body)
    assert response.status_code == 422
    assert "同一账户" in reasons(response)["lines"]
    assert JournalEntry.objects.count() == before


def test_ledger_amounts_and_ids_beyond_the_database_range_are_field_errors(leader_api, funded):
    a, b = funded
    huge = 565458718446335283417531285504
    for lines in (
        [{"account_id": b.pk, "debit": huge}, {"account_id": a.pk, "credit": huge}],
        [{"account_id": huge, "debit": 100}, {"account_id": a.pk, "credit": 100}],
    ):
        response = leader_api.post("/api/v1/funds/entries", {"memo": "溢出", "lines": lines})
        assert response.status_code == 422, response.content[:300]
        assert any(field.startswith("lines") for field in reasons(response))


# ---- 12. text longer than the column (a DataError on PostgreSQL) -------------------------------


def test_text_longer_than_its_column_is_a_field_error_on_both_databases(leader_api, funded):
    a, b = funded
    body = {
        "memo": "长" * 301,
        "lines": [{"account_id": b.pk, "debit": 100}, {"account_id": a.pk, "credit": 100}],
    }
    response = leader_api.post("/api/v1/funds/entries", body)
    assert response.status_code == 422
    assert reasons(response)["memo"] == "最多 300 个字符。"
    org = {"name": "站" * 201, "kind": "sw_station", "region": "440106001000"}
    response = leader_api.post("/api/v1/orgs/", org)
    assert response.status_code == 422 and reasons(response)["name"] == "最多 200 个字符。"


# ---- 13. unknown choices are enum errors with the allowed values --------------------------------


def test_an_unknown_choice_names_the_allowed_values(leader_api):
    response = leader_api.get("/api/v1/funds/accounts", {"kind": "nope"})
    assert response.status_code == 422
    assert "取值应为" in reasons(response)["kind"] and "holding" in reasons(response)["kind"]


# ---- 14. errors are answered as documented (401 for anonymous, JSON bodies) ---------------------


def test_an_anonymous_request_gets_the_documented_401_body(api_as):
    response = api_as(None).post("/api/v1/funds/plans", {"title": "x"})
    assert response.status_code == 401
    assert response.json() == {
        "errors": [{"field": "__all__", "reason": "需要登录或有效的访问令牌。"}]
    }


def test_a_path_that_matches_no_api_route_answers_the_documented_json_404(leader_api, client):
    response = leader_api.get("/api/v1/cases/null")
    assert response.status_code == 404
    assert response.json() == {"errors": [{"field": "__all__", "reason": "未找到。"}]}
    page = client.get("/hsds/services/%C2%A1%02x")  # a control character in a public path
    assert page.status_code == 404
