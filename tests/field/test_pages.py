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


def test_not_reached_visits_are_shown_on_the_residents_page(
    field_as, worker, due_resident, make_resident, login
):
    from tests.field.conftest import record

    sent = record(
        "not_reached",
        {"resident_id": due_resident.pk, "reason": "nobody_home", "note": "邻居说去医院复诊了"},
    )
    assert field_as(worker).sync(sent).json()["results"][0]["status"] == "stored"
    page = login(worker).get(f"/people/{due_resident.pk}/").content.decode()
    assert 'data-testid="visit-attempts"' in page and "邻居说去医院复诊了" in page
    assert "探访未遇" in page
    # another resident's page does not show it, and shows no empty section
    other = make_resident(worker)
    page = login(worker).get(f"/people/{other.pk}/").content.decode()
    assert "邻居说去医院复诊了" not in page and 'data-testid="visit-attempts"' not in page


def test_a_supervisor_elsewhere_cannot_read_the_attempts(field_as, worker, due_resident, login):
    from shegong.field import selectors
    from tests.factories import MembershipFactory, OrganisationFactory
    from tests.field.conftest import record

    sent = record("not_reached", {"resident_id": due_resident.pk, "reason": "nobody_home"})
    assert field_as(worker).sync(sent).json()["results"][0]["status"] == "stored"
    yingde = OrganisationFactory(name="英德市社工站", kind="sw_station", region_id="441881001000")
    outsider = MembershipFactory(organisation=yingde, role="supervisor").user
    outsider.active_membership = outsider.memberships.get()
    assert not selectors.attempts_of_resident(fetched_by=outsider, resident=due_resident).exists()
    assert login(outsider).get(f"/people/{due_resident.pk}/").status_code == 404


def test_the_status_page_and_the_menu_link_to_the_app(worker, login):
    client = login(worker)
    page = client.get("/field/").content.decode()
    assert 'data-testid="open-field-app"' in page and 'href="/field/app/"' in page
    home = client.get("/").content.decode()
    assert 'href="/field/app/"' in home
