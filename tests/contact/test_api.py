"""The contact API: plan, invite by record id, hold, attendance, raise an item, list — scoped."""

from __future__ import annotations

import pytest

from tests.core.test_lifecycles import _sign_in

pytestmark = pytest.mark.django_db


def test_a_station_runs_a_meeting_through_the_api(world, client):
    c = _sign_in(client, world["wushan"])
    created = c.post(
        "/api/v1/contact/meetings",
        {"kind": "volunteers", "title": "志愿者骨干座谈", "held_on": "2026-12-01", "place": "站"},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    invited = c.post(
        f"/api/v1/contact/meetings/{pk}/invitations",
        {"kind": "organisation", "id": world.units["committee"].pk},
        content_type="application/json",
    )
    assert invited.status_code == 201, invited.content
    outside = c.post(
        f"/api/v1/contact/meetings/{pk}/invitations",
        {"kind": "organisation", "id": world.units["yingde"].pk},
        content_type="application/json",
    )
    assert outside.status_code == 422
    held = c.post(
        f"/api/v1/contact/meetings/{pk}/actions/hold", {}, content_type="application/json"
    )
    assert held.json()["status"] == "held"
    invitation = invited.json()["id"]
    present = c.post(
        f"/api/v1/contact/meetings/{pk}/attendance",
        {"present": [invitation]},
        content_type="application/json",
    )
    assert present.json() == {"present": 1}
    item = c.post(
        f"/api/v1/contact/meetings/{pk}/items",
        {"raised_by": invitation, "text": "希望增加助餐点", "consent_publish": True},
        content_type="application/json",
    )
    assert item.status_code == 201, item.content
    assert item.json()["raised_by_name"] == "五山社区居委会"
    listed = c.get("/api/v1/contact/items").json()["items"]
    assert [i["text"] for i in listed] == ["希望增加助餐点"]
    missing = c.post(
        f"/api/v1/contact/meetings/{pk}/items",
        {"raised_by": invitation, "text": ""},
        content_type="application/json",
    )
    assert missing.status_code == 422
