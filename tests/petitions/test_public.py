"""The public form, the tracking page and Open311 GeoReport v2."""

import json
import re
import time
from pathlib import Path
from xml.etree import ElementTree as ET

import jsonschema
import pytest
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7

from shegong.petitions import public, services
from shegong.petitions.models import Matter

from .conftest import TIANHE_STREET

pytestmark = pytest.mark.django_db
STANDARD = Path("/work/shared/standards/open311-georeport-v2")


def _form(wages, **extra):
    data = {
        "kind": "complaint",
        "category": wages.pk,
        "region": TIANHE_STREET,
        "title": "欠薪投诉",
        "request": "公司拖欠两个月工资",
        "name": "陈晓",
        "phone": "13812345678",
        "website": "",
        "token": public.form_token(time.time() - 30),
    }
    data.update(extra)
    return data


def _number(response) -> str:
    return re.search(r'data-testid="registration-number">(\d+)<', response.content.decode()).group(
        1
    )


def test_public_submission_returns_a_registration_number(client, wages):
    response = client.post("/petitions/public/submit/", _form(wages))
    number = _number(response)
    matter = Matter.objects.get(number=number)
    assert matter.channel == "online" and matter.track_suffix == "5678"
    assert matter.events.get().actor is None


def test_honeypot_and_bad_token_are_refused(client, wages):
    assert (
        client.post("/petitions/public/submit/", _form(wages, website="http://spam")).status_code
        == 400
    )
    assert client.post("/petitions/public/submit/", _form(wages, token="forged")).status_code == 400
    too_fast = _form(wages, token=public.form_token(time.time()))
    assert client.post("/petitions/public/submit/", too_fast).status_code == 400
    assert not Matter.objects.exists()


def test_rate_limit(client, wages):
    for i in range(5):
        response = client.post(
            "/petitions/public/submit/", _form(wages, request=f"不同的诉求{i}号{i * 97}")
        )
        assert response.status_code == 200
    assert (
        client.post("/petitions/public/submit/", _form(wages, request="第六次")).status_code == 429
    )
    assert Matter.objects.count() == 5


def test_anonymous_only_for_complaints(client, wages):
    response = client.post(
        "/petitions/public/submit/", _form(wages, kind="request", anonymous="on", name="")
    )
    assert "只有网上投诉可以匿名" in response.content.decode()
    response = client.post("/petitions/public/submit/", _form(wages, anonymous="on", name=""))
    assert Matter.objects.get(number=_number(response)).anonymous


def test_a_repeat_online_submission_gets_the_original_number(client, wages):
    first = _number(client.post("/petitions/public/submit/", _form(wages)))
    second = client.post("/petitions/public/submit/", _form(wages))
    assert _number(second) == first
    assert "已并入原事项" in second.content.decode()
    assert Matter.objects.counted().count() == 1


def _strip_csrf(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def test_tracking_shows_status_unit_reply_and_nothing_private(
    client, register, county_user, hr_dept, hr_user
):
    matter = register(
        petitioners=[
            {"name": "张建国", "phone": "13800138000"},
            {"name": "王芳", "phone": "13700137000"},
        ]
    )
    services.matter_note(
        matter=matter, acting_user=county_user, text="内部：信访人情绪激动，注意稳控"
    )
    services.matter_route(matter=matter, organisation=hr_dept, acting_user=county_user)
    services.matter_accept(matter=matter, acting_user=hr_user)
    services.matter_reply(
        matter=matter, acting_user=hr_user, reply_kind="support", text="已责令公司于十日内支付"
    )
    page = client.post(
        "/petitions/public/track/", {"number": matter.number, "suffix": "8000"}
    ).content.decode()
    assert (
        "已答复" in page
        and "天河区人力资源和社会保障局" in page
        and "已责令公司于十日内支付" in page
    )
    for private in ("张建国", "王芳", "13800138000", "稳控", str(county_user), str(hr_user)):
        assert private not in page


def test_wrong_suffix_reveals_nothing(client, register):
    matter = register()
    wrong = client.post("/petitions/public/track/", {"number": matter.number, "suffix": "0000"})
    unknown = client.post(
        "/petitions/public/track/", {"number": "440106209901010001", "suffix": "0000"}
    )
    assert wrong.status_code == unknown.status_code == 200
    assert 'data-testid="not-found"' in wrong.content.decode()
    assert _strip_csrf(wrong.content.decode()).replace(matter.number, "N") == _strip_csrf(
        unknown.content.decode()
    ).replace("440106209901010001", "N")
    assert matter.title not in wrong.content.decode()
    # Rating with the wrong suffix does nothing either.
    client.post(
        "/petitions/public/track/rate/",
        {"number": matter.number, "suffix": "0000", "rating": "satisfied"},
    )
    matter.refresh_from_db()
    assert matter.rating == ""


def test_tracking_is_rate_limited(client, register):
    matter = register()
    for _ in range(30):
        client.post("/petitions/public/track/", {"number": matter.number, "suffix": "1111"})
    right = client.post("/petitions/public/track/", {"number": matter.number, "suffix": "8000"})
    assert right.status_code == 429 and matter.title not in right.content.decode()


def test_petitioner_rates_on_the_tracking_page(client, register, county_user, hr_dept, hr_user):
    matter = register()
    services.matter_route(matter=matter, organisation=hr_dept, acting_user=county_user)
    services.matter_accept(matter=matter, acting_user=hr_user)
    services.matter_reply(matter=matter, acting_user=hr_user, reply_kind="support", text="已支付")
    services.matter_close(matter=matter, acting_user=hr_user)
    page = client.post(
        "/petitions/public/track/rate/",
        {"number": matter.number, "suffix": "8000", "rating": "basic"},
    )
    assert "感谢您的评价" in page.content.decode()
    matter.refresh_from_db()
    assert matter.rating == "basic" and matter.rating_via == "public"
    assert matter.events.filter(action="public_rate").exists()


# ---- Open311 -----------------------------------------------------------------------------------


def _validator(name: str):
    registry = Registry()
    for path in STANDARD.glob("*.json"):
        if path.name == "swagger.json":
            continue
        contents = json.loads(path.read_text())
        registry = registry.with_resource(
            path.name, Resource.from_contents(contents, default_specification=DRAFT7)
        )
    schema = json.loads((STANDARD / name).read_text())
    return jsonschema.Draft7Validator(
        schema, registry=registry, format_checker=jsonschema.FormatChecker()
    )


def test_open311_services_json_and_xml(client):
    response = client.get("/open311/v2/services.json")
    assert response["Content-Type"].startswith("application/json")
    services_ = response.json()
    _validator("services.json").validate(services_)
    codes = {s["service_code"] for s in services_}
    assert {"labour.wages", "neighbour.noise", "other.other"} <= codes
    xml = ET.fromstring(client.get("/open311/v2/services.xml").content)
    assert xml.tag == "services" and len(xml.findall("service")) == len(services_)
    default = ET.fromstring(client.get("/open311/v2/services").content)  # XML by default
    assert default.tag == "services"
    definition = client.get("/open311/v2/services/labour.wages.json").json()
    _validator("service-definition.json").validate(definition)
    assert client.get("/open311/v2/services/nope.json").status_code == 404


def test_open311_create_and_read_back(client, register, county_user, hr_dept):
    created = client.post(
        "/open311/v2/requests.json",
        {
            "service_code": "labour.wages",
            "address_id": TIANHE_STREET,
            "description": "餐馆拖欠工资三个月",
            "first_name": "晓",
            "last_name": "陈",
            "phone": "13812345678",
        },
    )
    assert created.status_code == 200, created.content
    number = created.json()[0]["service_request_id"]
    matter = Matter.objects.get(number=number)
    assert matter.channel == "online"
    services.matter_route(matter=matter, organisation=hr_dept, acting_user=county_user)
    one = client.get(f"/open311/v2/requests/{number}.json").json()
    _validator("requests.json").validate(one)
    row = one[0]
    assert row["status"] == "open" and row["agency_responsible"] == "天河区人力资源和社会保障局"
    assert row["expected_datetime"].startswith(matter.due_date.isoformat())
    assert row["expected_datetime"].endswith("+08:00")
    assert row["description"] is None  # no private text leaves
    xml = ET.fromstring(client.get(f"/open311/v2/requests/{number}.xml").content)
    request = xml.find("request")
    assert request.findtext("service_request_id") == number
    assert request.findtext("status") == "open"
    assert request.findtext("expected_datetime") == row["expected_datetime"]
    listed = client.get("/open311/v2/requests.json?status=open&service_code=labour.wages").json()
    _validator("requests.json").validate(listed)
    assert [r["service_request_id"] for r in listed] == [number]
    assert client.get("/open311/v2/requests.json?status=closed").json() == []
    # Matters registered by staff (not public channels) are not published.
    staff = register(
        request="另一件事情：楼道堆物", petitioners=[{"name": "李", "phone": "13900000000"}]
    )
    assert client.get(f"/open311/v2/requests/{staff.number}.json").status_code == 404


def test_open311_create_xml_and_errors(client):
    response = client.post(
        "/open311/v2/requests",
        {
            "service_code": "neighbour.noise",
            "address_string": "广东省广州市天河区五山街道某小区",
            "description": "楼上噪音",
        },
    )
    xml = ET.fromstring(response.content)
    number = xml.find("request").findtext("service_request_id")
    assert Matter.objects.get(number=number).region_id == TIANHE_STREET
    bad = client.post("/open311/v2/requests.json", {"service_code": "nope", "description": "x"})
    assert bad.status_code == 400 and bad.json()[0]["code"] == 400
    nowhere = client.post(
        "/open311/v2/requests.json",
        {"service_code": "neighbour.noise", "description": "x", "lat": "23.1", "long": "113.3"},
    )
    assert nowhere.status_code == 400


def test_open311_discovery(client):
    assert (
        client.get("/open311/v2/discovery.json")
        .json()["endpoints"][0]["url"]
        .endswith("/open311/v2/")
    )
    assert ET.fromstring(client.get("/open311/v2/discovery.xml").content).tag == "discovery"
