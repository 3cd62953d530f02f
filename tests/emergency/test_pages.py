"""Pages and API of emergency sweeps: the board, the worker's list with its buttons, the
export, the resident's history panel, and the same refusals across counties."""

from __future__ import annotations

import pytest

from shegong.emergency.models import SweepTask
from shegong.people.models import Category
from tests.emergency.conftest import V1, V2, V3


def _task(event, resident):
    return SweepTask.objects.unscoped(reason="test").get(event=event, resident=resident)


def test_declare_page_creates_the_event(world, login):
    client = login(world["county"])
    cats = Category.objects.filter(code__in=["living_alone", "left_behind_child"])
    response = client.post(
        "/emergency/new/",
        {
            "kind": "typhoon",
            "title": "台风页面排查",
            "area_0": V1,
            "area_1": V2,
            "area_2": V3,
            "target_hours": 24,
            "categories": [c.pk for c in cats],
            "volunteer_capacity": 0,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    board = client.get(response["Location"])
    body = board.content.decode()
    assert "排查对象alone1" in body and "排查对象child" in body
    assert "排查对象disabled" not in body  # not in the chosen groups
    assert "排查对象outside" not in body


def test_board_and_worker_list_and_recording(world, declare, login):
    event = declare()
    client = login(world["station"])
    board = client.get(f"/emergency/{event.pk}/", headers={"HX-Request": "true"})
    assert board.status_code == 200 and 'data-testid="board-totals"' in board.content.decode()
    mine = client.get(f"/emergency/mine/?event={event.pk}").content.decode()
    assert "排查对象alone2" in mine and "排查对象alone1" not in mine  # alone1 is the county's
    task = _task(event, world.residents["alone2"])
    response = client.post(
        f"/emergency/tasks/{task.pk}/record/",
        {
            "outcome": "reached_needs_help",
            "need_category": "care",
            "need_text": "需要送餐",
            "next": "mine",
        },
    )
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.outcome == "reached_needs_help" and task.assistance_id
    page = client.get(f"/people/{world.residents['alone2'].pk}/").content.decode()
    assert "应急排查记录" in page and "需要送餐" in page
    export = client.get(f"/emergency/{event.pk}/export/?outcome=all")
    assert export.status_code == 200


def test_another_county_gets_404_everywhere(world, declare, login):
    event = declare()
    task = _task(event, world.residents["alone1"])
    client = login(world["yingde"])
    assert "台风应急排查" not in client.get("/emergency/").content.decode()
    for url in (
        f"/emergency/{event.pk}/",
        f"/emergency/{event.pk}/export/",
        f"/emergency/tasks/{task.pk}/",
    ):
        assert client.get(url).status_code == 404
    assert (
        client.post(f"/emergency/tasks/{task.pk}/record/", {"outcome": "reached_safe"}).status_code
        == 404
    )
    assert client.get(f"/api/v1/emergency/events/{event.pk}").status_code == 404
    response = client.post(
        f"/api/v1/emergency/tasks/{task.pk}/outcome",
        {"outcome": "reached_safe"},
        content_type="application/json",
    )
    assert response.status_code == 404
    task.refresh_from_db()
    assert task.outcome == "pending"


def test_api_declare_board_and_idempotent_outcome(world, login):
    client = login(world["county"])
    response = client.post(
        "/api/v1/emergency/events",
        {
            "kind": "flood",
            "title": "洪涝排查",
            "areas": [V1, V2, V3],
            "categories": ["living_alone", "severely_disabled", "left_behind_child"],
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    event = response.json()
    assert event["task_count"] == 4
    tasks = client.get(f"/api/v1/emergency/events/{event['id']}/tasks").json()["items"]
    assert len(tasks) == 4
    body = {"outcome": "reached_safe", "client_id": "phone-7:42"}
    first = client.post(
        f"/api/v1/emergency/tasks/{tasks[0]['id']}/outcome", body, content_type="application/json"
    )
    again = client.post(
        f"/api/v1/emergency/tasks/{tasks[0]['id']}/outcome", body, content_type="application/json"
    )
    assert first.status_code == again.status_code == 201
    assert first.json()["id"] == again.json()["id"]
    board = client.get(f"/api/v1/emergency/events/{event['id']}/board").json()
    assert board["totals"]["safe"] == 1 and board["totals"]["total"] == 4


@pytest.mark.parametrize("path", ["/emergency/", "/emergency/mine/", "/emergency/new/"])
def test_pages_open(world, login, path):
    client = login(world["county"])
    assert client.get(path).status_code == 200
