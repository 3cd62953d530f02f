"""A user of another county (英德) cannot see or act on 天河's meetings and items: pages, API and
the export answer 404/403 or leave them out, and nothing changes."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from shegong.contact import services
from shegong.contact.models import Meeting, RaisedItem
from tests.contact.conftest import refetch
from tests.core.test_lifecycles import _sign_in

pytestmark = pytest.mark.django_db

TEXT = "天河五山路灯损坏探针"


@pytest.fixture
def item(world, held_meeting):
    meeting, invitation = held_meeting
    return services.item_record(
        meeting=meeting, acting_user=world["wushan"], raiser=invitation, text=TEXT
    )


def test_pages_of_another_county_are_not_found(world, held_meeting, item, client):
    meeting, _ = held_meeting
    c = _sign_in(client, world["yingde"])
    for url in (
        f"/contact/meetings/{meeting.pk}/",
        f"/contact/items/{item.pk}/",
        f"/contact/items/{item.pk}/answer/",
        f"/contact/meetings/{meeting.pk}/actions/minutes/",
    ):
        assert c.get(url).status_code == 404, url
    for url, data in (
        (f"/contact/meetings/{meeting.pk}/actions/minutes/", {"minutes": "x"}),
        (f"/contact/meetings/{meeting.pk}/attendance/", {"present": []}),
        (f"/contact/meetings/{meeting.pk}/items/", {"raised_by": "1", "text": "x"}),
        (f"/contact/items/{item.pk}/actions/convert/", {"kind": "dispute", "category": "1"}),
    ):
        assert c.post(url, data).status_code == 404, url
    assert TEXT not in c.get("/contact/items/").content.decode()
    assert "五山街道居民代表议事会" not in c.get("/contact/").content.decode()
    assert c.get("/contact/items/", {"region": "440106"}).status_code == 404
    assert refetch(meeting).status == Meeting.Status.HELD
    assert refetch(item).status == RaisedItem.Status.RAISED
    assert RaisedItem.objects.unscoped(reason="test").count() == 1


def test_the_api_of_another_county_answers_404_and_lists_nothing(world, held_meeting, item, client):
    meeting, _ = held_meeting
    c = _sign_in(client, world["yingde"])
    assert c.get(f"/api/v1/contact/meetings/{meeting.pk}").status_code == 404
    assert c.get(f"/api/v1/contact/items/{item.pk}").status_code == 404
    assert c.get("/api/v1/contact/meetings").json()["items"] == []
    assert c.get("/api/v1/contact/items").json()["items"] == []
    response = c.post(
        f"/api/v1/contact/meetings/{meeting.pk}/actions/minutes",
        {"minutes": "x"},
        content_type="application/json",
    )
    assert response.status_code == 404
    response = c.post(
        f"/api/v1/contact/items/{item.pk}/actions/assign",
        {"unit": world.units["yingde"].pk, "due_days": 5},
        content_type="application/json",
    )
    assert response.status_code == 404
    assert refetch(meeting).status == Meeting.Status.HELD
    assert refetch(item).status == RaisedItem.Status.RAISED


def test_the_export_of_another_county_leaves_tianhe_out(world, item, client):
    def cells(user):
        response = _sign_in(client, user).get("/contact/items/export/")
        assert response.status_code == 200
        book = load_workbook(io.BytesIO(response.content), read_only=True)
        return [v for row in book.active.iter_rows(values_only=True) for v in row]

    assert TEXT in cells(world["tianhe"])
    client.logout()
    assert TEXT not in cells(world["yingde"])


def test_a_role_without_the_permission_is_refused(world, held_meeting, make_member, client):
    meeting, _ = held_meeting
    mediator = make_member("mediator", "440106001000", kind="mediation_committee")
    c = _sign_in(client, mediator)
    assert c.get(f"/contact/meetings/{meeting.pk}/").status_code == 403
    assert c.get(f"/api/v1/contact/meetings/{meeting.pk}").status_code == 403
