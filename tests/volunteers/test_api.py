"""The /api/v1/volunteers/ endpoints: create an activity, sign volunteers up, withdraw, records."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.volunteers.helpers import make_volunteer, resident_id

pytestmark = pytest.mark.django_db


def test_api_activity_signups_and_waiting_list(county_user, login):
    client = login(county_user)
    start = timezone.now() + timedelta(days=3)
    resp = client.post(
        "/api/v1/volunteers/activities",
        {
            "title": "社区议事会",
            "service_type": "governance",
            "starts_at": start.isoformat(),
            "ends_at": (start + timedelta(hours=2)).isoformat(),
            "publish": True,
            "shifts": [
                {
                    "starts_at": start.isoformat(),
                    "ends_at": (start + timedelta(hours=2)).isoformat(),
                    "capacity": 1,
                }
            ],
        },
        content_type="application/json",
    )
    assert resp.status_code == 201, resp.content
    body = resp.json()
    assert body["status"] == "published" and len(body["shifts"]) == 1
    shift_id = body["shifts"][0]["id"]
    a, b = make_volunteer(), make_volunteer()
    first = client.post(
        f"/api/v1/volunteers/shifts/{shift_id}/signups",
        {"volunteer_id": a.pk},
        content_type="application/json",
    )
    second = client.post(
        f"/api/v1/volunteers/shifts/{shift_id}/signups",
        {"volunteer_id": b.pk},
        content_type="application/json",
    )
    assert first.json()["status"] == "accepted" and second.json()["status"] == "waitlisted"
    client.post(f"/api/v1/volunteers/signups/{first.json()['id']}/withdraw")
    listed = client.get(f"/api/v1/volunteers/activities/{body['id']}/signups").json()
    assert {(s["volunteer_id"], s["status"]) for s in listed} == {
        (a.pk, "withdrawn"),
        (b.pk, "accepted"),
    }
    again = client.post(
        f"/api/v1/volunteers/shifts/{shift_id}/signups",
        {"volunteer_id": b.pk},
        content_type="application/json",
    )
    assert again.status_code == 400 and "已报名" in again.json()["errors"][0]["reason"]


def test_api_registers_a_volunteer_with_consent_and_validates_the_id(county_user, login):
    client = login(county_user)
    data = {
        "name": "API志愿者",
        "id_number": "440106199001011234",
        "phone": "13900001111",
        "region": "440106001001",
        "consent": True,
    }
    bad = client.post("/api/v1/volunteers/volunteers", data, content_type="application/json")
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "id_number"
    data["id_number"] = resident_id("440106")
    ok = client.post("/api/v1/volunteers/volunteers", data, content_type="application/json")
    assert ok.status_code == 201
    assert (
        ok.json()["id_number_masked"].startswith("440106")
        and data["id_number"] not in ok.content.decode()
    )
