"""A user of another county cannot see or change residents, visits, cases or assistance."""

import io
from datetime import date

import pytest
from openpyxl import load_workbook

from shegong.cases import services as case_services
from shegong.core.crypto import decrypt
from shegong.people import services


@pytest.fixture
def records(station_worker, make_resident):
    resident = make_resident(station_worker, name="天河老人", phone="13800138000")
    visit = services.visit_record(
        resident=resident,
        acting_user=station_worker,
        visited_on=date.today(),
        mode="home",
        needs="需要助餐",
    )
    item = services.assistance_create(
        resident=resident,
        acting_user=station_worker,
        data={"kind": "cash", "description": "临时救助", "amount": 500, "given_on": date.today()},
    )
    case = case_services.case_open(
        acting_user=station_worker, resident=resident, title="助餐", source="visit"
    )
    return resident, visit, item, case


@pytest.fixture
def outsider(make_member):
    """A station social worker of 英德市: every permission, another county."""
    return make_member("station_worker", "441881001000", kind="sw_station", name="英德社工站")


@pytest.mark.django_db
def test_pages_refuse_records_of_another_county(records, outsider, login):
    resident, visit, item, case = records
    client = login(outsider)
    for url in [
        f"/people/{resident.pk}/",
        f"/people/{resident.pk}/edit/",
        f"/people/{resident.pk}/assess/",
        f"/people/{resident.pk}/visit/",
        f"/people/{resident.pk}/assistance/",
        f"/people/visits/{visit.pk}/",
        f"/cases/{case.pk}/",
        f"/cases/new/?resident={resident.pk}",
    ]:
        assert client.get(url).status_code == 404, url
    for url, data in [
        (f"/people/{resident.pk}/reveal/", {}),
        (f"/people/{resident.pk}/visit/", {"visited_on": date.today(), "mode": "home"}),
        (f"/people/{resident.pk}/event/", {"event": "discharge", "occurred_on": date.today()}),
        (f"/people/{resident.pk}/members/", {"name": "x", "relation": "child"}),
        (f"/people/assistance/{item.pk}/advance/", {}),
        (f"/cases/from-visit/{visit.pk}/", {}),
        (f"/cases/{case.pk}/transition/", {"to_status": "assessment"}),
    ]:
        assert client.post(url, data).status_code == 404, url
    assert resident.visits.count() == 1 and case.transitions.count() == 1
    link = f'href="/people/{resident.pk}/"'
    page = client.get("/people/?q=天河老人").content.decode()
    assert link not in page and "没有符合条件的服务对象" in page
    assert link not in client.get("/people/?q=13800138000").content.decode()
    number = decrypt(resident.id_number_encrypted)
    assert client.get(f"/people/lookup/?id_number={number}")["Location"] == "/people/"
    assert link not in client.get(f"/people/?q={number}").content.decode()
    assert "助餐" not in client.get("/cases/?scope=all").content.decode()
    assert "天河老人" not in client.get("/people/visits/overdue/").content.decode()
    assert "天河老人" not in client.get("/people/visits/mine/").content.decode()


@pytest.mark.django_db
def test_export_of_another_county_contains_nothing_of_ours(records, outsider, login):
    client = login(outsider)
    response = client.get("/people/export/")
    rows = list(
        load_workbook(io.BytesIO(response.content)).worksheets[0].iter_rows(values_only=True)
    )
    assert len(rows) == 1  # header only


@pytest.mark.django_db
def test_export_masks_ids_for_roles_without_reveal(records, county_user, station_worker, login):
    resident = records[0]
    number = decrypt(resident.id_number_encrypted)
    rows = list(
        load_workbook(io.BytesIO(login(county_user).get("/people/export/").content))
        .worksheets[0]
        .iter_rows(values_only=True)
    )
    assert rows[1][0] == "天河老人" and rows[1][1] == resident.id_number_masked
    rows = list(
        load_workbook(io.BytesIO(login(station_worker).get("/people/export/").content))
        .worksheets[0]
        .iter_rows(values_only=True)
    )
    assert rows[1][1] == number


@pytest.mark.django_db
def test_api_refuses_records_of_another_county(records, outsider, login):
    resident, visit, item, case = records
    client = login(outsider)
    assert client.get("/api/v1/people/residents").json()["count"] == 0
    assert client.get(f"/api/v1/people/residents/{resident.pk}").status_code == 404
    number = decrypt(resident.id_number_encrypted)
    assert client.get(f"/api/v1/people/residents/lookup?id_number={number}").status_code == 404
    assert client.post(f"/api/v1/people/residents/{resident.pk}/reveal").status_code == 404
    assert client.get(f"/api/v1/people/residents/{resident.pk}/visits").status_code == 404
    response = client.post(
        f"/api/v1/people/residents/{resident.pk}/visits",
        {"visited_on": str(date.today()), "mode": "home"},
        content_type="application/json",
    )
    assert response.status_code == 404
    assert client.get("/api/v1/people/visit-plans").json()["count"] == 0
    assert client.get("/api/v1/people/assistance").json()["count"] == 0
    assert client.get("/api/v1/cases/?scope=all").json()["count"] == 0
    assert client.get(f"/api/v1/cases/{case.pk}").status_code == 404
    response = client.post(
        f"/api/v1/cases/{case.pk}/transitions",
        {"to_status": "assessment"},
        content_type="application/json",
    )
    assert response.status_code == 404
    response = client.post(
        "/api/v1/people/residents",
        {"name": "越界", "id_number": number, "region": "440106001001"},
        content_type="application/json",
    )
    assert response.status_code == 422


@pytest.mark.django_db
def test_api_serves_our_own_county(records, station_worker, county_user, login):
    resident = records[0]
    client = login(station_worker)
    data = client.get("/api/v1/people/residents").json()
    assert data["count"] == 1 and data["items"][0]["name"] == "天河老人"
    assert data["items"][0]["id_number_masked"] == resident.id_number_masked
    assert (
        client.get("/api/v1/people/visit-plans/mine?horizon_days=92").json()[0]["resident_name"]
        == "天河老人"
    )
    assert (
        login(county_user).get(f"/api/v1/people/residents/{resident.pk}").json()["health_notes"]
        is None
    )
