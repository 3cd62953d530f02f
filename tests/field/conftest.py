from __future__ import annotations

import base64
import io
import json
import uuid
from datetime import date

import pytest

from tests.people.conftest import OTHER_VILLAGE, VILLAGE, VILLAGE2  # noqa: F401

STATION = "440106001000"  # 五山街道


@pytest.fixture
def worker(make_member):
    return make_member("station_worker", STATION, kind="sw_station", name="五山街道社工站")


@pytest.fixture
def colleague(make_member):
    return make_member("station_worker", STATION, kind="sw_station", name="五山街道社工站二")


@pytest.fixture
def supervisor(make_member):
    return make_member("supervisor", STATION, kind="sw_station", name="五山街道社工站督导")


@pytest.fixture
def outside_worker(make_member):
    return make_member("station_worker", "441881001000", kind="sw_station", name="英德社工站")


@pytest.fixture
def make_resident(db):
    from shegong.people import services
    from shegong.people.models import Category, VisitPlan
    from shegong.people.synthetic import make_id_number
    from shegong.regions.models import Region

    counter = {"n": 0}

    def make(user, *, village=VILLAGE, due=None, worker=None, **kw):
        counter["n"] += 1
        birth = kw.pop("birth", date(1945, 3, 8))
        number = make_id_number(village[:6], birth, counter["n"], "M")
        resident = services.resident_create(
            acting_user=user,
            name=kw.pop("name", f"外勤老人{counter['n']}"),
            id_number=number,
            region=Region.objects.get(code=village),
            categories=[Category.objects.get(code="living_alone")],
            confirm_duplicates=True,
            assigned_worker=worker or user,
            phone="13800138000",
            address="五山路 1 号",
            **kw,
        )
        services.plan_ensure(resident=resident, acting_user=user)
        if due is not None:
            VisitPlan.objects.unscoped(reason="test").filter(resident=resident).update(
                next_due_date=due
            )
        return resident

    return make


@pytest.fixture
def due_resident(worker, make_resident):
    return make_resident(worker, due=date.today())


class FieldClient:
    """The test client with the worker's token, JSON in and out, and a registered device."""

    def __init__(self, client, user):
        from tests.api.conftest import token_for

        self.client = client
        self.user = user
        self.headers = {"Authorization": f"Bearer {token_for(user)}"}
        self.device_id = None

    def get(self, path, params=None):
        return self.client.get(path, params or {}, headers=self.headers)

    def post(self, path, body):
        return self.client.post(
            path, json.dumps(body), content_type="application/json", headers=self.headers
        )

    def register(self, name="我的手机"):
        response = self.post("/api/v1/field/devices", {"name": name, "user_agent": "test"})
        assert response.status_code == 201, response.content
        self.device_id = response.json()["id"]
        return self.device_id

    def route(self, **params):
        response = self.get("/api/v1/field/route", params)
        assert response.status_code == 200, response.content
        return response.json()

    def sync(self, *records, device_id=None):
        return self.post(
            "/api/v1/field/sync",
            {"device_id": device_id or self.device_id, "records": list(records)},
        )


@pytest.fixture
def field_as(client):
    def make(user, *, register=True):
        c = FieldClient(client, user)
        if register:
            c.register()
        return c

    return make


def record(kind, payload, *, client_id=None, recorded_at=None):
    return {
        "client_id": client_id or str(uuid.uuid4()),
        "kind": kind,
        "recorded_at": recorded_at or f"{date.today().isoformat()}T09:30:00+08:00",
        "payload": payload,
    }


def jpeg_base64(size=(64, 48)) -> str:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 120, 40)).save(buffer, "JPEG", quality=70)
    return base64.b64encode(buffer.getvalue()).decode()
