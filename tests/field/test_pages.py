"""The worker's sync status page, the devices page and who may open the conflicts page."""

from __future__ import annotations

from tests.field.test_sync import _visit


def test_status_page_shows_what_was_sent_and_the_conflict(
    field_as, worker, colleague, due_resident, login
):
    from shegong.people import services as people_services

    app = field_as(worker)
    queued = _visit(due_resident)
    people_services.resident_update(
        resident=due_resident, acting_user=worker, data={"assigned_worker": colleague}
    )
    app.sync(queued, _visit(due_resident, mode="bad"))
    page = login(worker).get("/field/").content.decode()
    assert "探访计划已改派" in page and "未保存" in page and "我的手机" in page
    assert login(worker).get("/field/conflicts/").status_code == 403


def test_supervisor_sees_and_revokes_the_workers_device_only_in_the_jurisdiction(
    field_as, worker, supervisor, make_member, login
):
    app = field_as(worker, register=False)
    app.register(name="郑社工的手机")
    page = login(supervisor).get("/field/devices/").content.decode()
    assert "郑社工的手机" in page
    elsewhere = make_member("supervisor", "441881001000", kind="sw_station", name="英德督导")
    assert "郑社工的手机" not in login(elsewhere).get("/field/devices/").content.decode()
    assert login(elsewhere).post(f"/field/devices/{app.device_id}/revoke/").status_code == 404
    login(supervisor).post(f"/field/devices/{app.device_id}/revoke/")
    devices = app.get("/api/v1/field/devices").json()
    assert devices[0]["active"] is False
