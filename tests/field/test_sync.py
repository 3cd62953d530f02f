"""The sync: each record stored once through the owning app's service, rejected alone when wrong,
kept and flagged when the server changed meanwhile; refused whole from a revoked device or account."""

from __future__ import annotations

import uuid
from datetime import date

import pytest

from shegong.field.models import FieldConflict, FieldSubmission, VisitAttempt
from shegong.people.models import Visit, VisitPlan
from shegong.petitions.models import Attachment, Channel, Matter
from tests.field.conftest import OTHER_VILLAGE, jpeg_base64, record


def _visit(resident, **extra):
    plan = VisitPlan.objects.unscoped(reason="test").get(resident=resident)
    return record(
        "visit",
        {
            "resident_id": resident.pk,
            "plan_id": plan.pk,
            "mode": "home",
            "checklist": {"finding_living": "独自在家，饮食正常", "finding_safety": "电线老化"},
            "needs": "需要更换电线",
            "needs_categories": ["service"],
            **extra,
        },
    )


def _finding(**extra):
    return record(
        "finding",
        {
            "region_code": "440106001001",
            "category": "other.other",
            "summary": "邻里因漏水发生争执",
            "parties": [{"name": "王五", "phone": "13900139000"}],
            **extra,
        },
    )


def test_sync_stores_a_visit_a_finding_and_a_not_reached(field_as, worker, make_resident):
    first, second = make_resident(worker, due=date.today()), make_resident(worker, due=date.today())
    app = field_as(worker)
    route = app.route()
    not_reached = record(
        "not_reached",
        {"resident_id": second.pk, "reason": "nobody_home", "note": "邻居说去医院了"},
    )
    response = app.sync(
        _visit(
            first,
            route_version=route["downloaded_at"],
            position={"latitude": 23.1, "longitude": 113.3},
        ),
        _finding(),
        not_reached,
    )
    assert response.status_code == 200, response.content
    results = response.json()["results"]
    assert [r["status"] for r in results] == ["stored", "stored", "stored"], results
    visit = Visit.objects.unscoped(reason="test").get(resident=first)
    assert visit.finding_living == "独自在家，饮食正常" and visit.visited_by == worker
    assert visit.needs.startswith("【服务】") and results[0]["server_id"] == f"visit:{visit.pk}"
    assert results[0]["url"] == f"/people/visits/{visit.pk}/"
    plan = VisitPlan.objects.unscoped(reason="test").get(resident=first)
    assert plan.last_visit_date == date.today() and plan.next_due_date > date.today()
    matter = Matter.objects.unscoped(reason="test").get(pk=results[1]["server_id"].split(":")[1])
    assert matter.channel == Channel.FIELD and matter.region_id == "440106001001"
    attempt = VisitAttempt.objects.unscoped(reason="test").get(resident=second)
    assert attempt.reason == "nobody_home"
    # a visit that did not reach the resident leaves the visit due
    assert (
        VisitPlan.objects.unscoped(reason="test").get(resident=second).next_due_date == date.today()
    )
    kept = FieldSubmission.objects.unscoped(reason="test").get(client_id=results[0]["client_id"])
    assert kept.latitude == 23.1 and str(kept.device_id) == app.device_id


def test_photo_is_stored_with_the_visit_and_the_finding(field_as, worker, due_resident):
    from shegong.privacy import services as privacy_services  # noqa: F401

    app = field_as(worker)
    photo = jpeg_base64()
    results = app.sync(_visit(due_resident, photo=photo), _finding(photo=photo)).json()["results"]
    assert [r["status"] for r in results] == ["stored", "stored"], results
    visit = Visit.objects.unscoped(reason="test").get(resident=due_resident)
    assert visit.photo and visit.photo.read()[:3] == b"\xff\xd8\xff"
    matter_id = int(results[1]["server_id"].split(":")[1])
    assert Attachment.objects.filter(matter_id=matter_id).count() == 1


def test_sending_the_same_queue_again_stores_nothing_new(field_as, worker, due_resident):
    app = field_as(worker)
    queue = [_visit(due_resident), _finding()]
    first = app.sync(*queue).json()["results"]
    again = app.sync(*queue).json()["results"]
    assert [r["status"] for r in again] == ["duplicate", "duplicate"]
    assert [r["server_id"] for r in again] == [r["server_id"] for r in first]
    assert Visit.objects.unscoped(reason="test").count() == 1
    assert Matter.objects.unscoped(reason="test").filter(channel=Channel.FIELD).count() == 1
    assert FieldSubmission.objects.unscoped(reason="test").count() == 2


def test_a_bad_record_is_rejected_alone(field_as, worker, due_resident):
    app = field_as(worker)
    results = app.sync(
        _visit(due_resident, mode="teleport"),
        _visit(due_resident, photo="not a photo!"),
        _finding(category="no.such"),
        record("unknown_kind", {}),
        _visit(due_resident),
    ).json()["results"]
    assert [r["status"] for r in results] == ["rejected"] * 4 + ["stored"]
    assert "mode" in results[0]["errors"]
    assert "photo" in results[1]["errors"]
    assert "category" in results[2]["errors"]
    assert "kind" in results[3]["errors"]
    assert Visit.objects.unscoped(reason="test").count() == 1
    # a rejected record may be fixed and sent again under its id
    fixed = _visit(due_resident)
    fixed["client_id"] = results[0]["client_id"]
    assert app.sync(fixed).json()["results"][0]["status"] == "stored"


def test_a_photo_too_large_is_rejected(field_as, worker, due_resident):
    import base64

    big = base64.b64encode(b"\xff\xd8\xff" + b"0" * (1024 * 1024 + 10)).decode()
    response = field_as(worker).sync(_visit(due_resident, photo=big))
    results = response.json()["results"] if response.status_code == 200 else None
    assert response.status_code == 422 or results[0]["status"] == "rejected"
    assert not Visit.objects.unscoped(reason="test").exists()


def test_plan_reassigned_meanwhile_keeps_the_visit_and_flags_it(
    field_as, worker, colleague, supervisor, due_resident, login
):
    from shegong.people import services as people_services

    app = field_as(worker)
    route = app.route()
    queued = _visit(due_resident, route_version=route["downloaded_at"])
    # while the worker is offline, the resident goes to a colleague
    people_services.resident_update(
        resident=due_resident, acting_user=supervisor, data={"assigned_worker": colleague}
    )
    result = app.sync(queued).json()["results"][0]
    assert result["status"] == "conflict" and result["server_id"].startswith("visit:")
    assert Visit.objects.unscoped(reason="test").filter(resident=due_resident).count() == 1
    conflict = FieldConflict.objects.unscoped(reason="test").get()
    assert conflict.reason == "plan_reassigned" and conflict.resident == due_resident
    listed = app.get("/api/v1/field/submissions").json()["items"]
    assert (
        listed[0]["status"] == "conflict" and listed[0]["conflict"]["reason"] == "plan_reassigned"
    )
    # the supervisor sees it, and acknowledges it
    page = login(supervisor).get("/field/conflicts/")
    assert due_resident.name in page.content.decode()
    page = login(supervisor).post(f"/field/conflicts/{conflict.pk}/resolve/", {"note": "已核对"})
    conflict.refresh_from_db()
    assert conflict.resolved_by == supervisor and conflict.resolution_note == "已核对"


def test_resident_changed_after_the_download_is_a_conflict(field_as, worker, due_resident):
    from shegong.people import services as people_services

    app = field_as(worker)
    route = app.route()
    people_services.resident_update(
        resident=due_resident, acting_user=worker, data={"address": "新地址 8 号"}
    )
    result = app.sync(_visit(due_resident, route_version=route["downloaded_at"])).json()["results"][
        0
    ]
    assert result["status"] == "conflict"
    assert FieldConflict.objects.unscoped(reason="test").get().reason == "resident_changed"


def test_a_conflict_is_not_shown_to_a_supervisor_elsewhere(
    field_as, worker, colleague, due_resident, make_member, login
):
    from shegong.people import services as people_services

    app = field_as(worker)
    queued = _visit(due_resident)
    people_services.resident_update(
        resident=due_resident, acting_user=worker, data={"assigned_worker": colleague}
    )
    assert app.sync(queued).json()["results"][0]["status"] == "conflict"
    elsewhere = make_member("supervisor", "441881001000", kind="sw_station", name="英德督导")
    assert due_resident.name not in login(elsewhere).get("/field/conflicts/").content.decode()
    conflict = FieldConflict.objects.unscoped(reason="test").get()
    response = login(elsewhere).post(f"/field/conflicts/{conflict.pk}/resolve/")
    assert response.status_code == 404
    conflict.refresh_from_db()
    assert conflict.resolved_at is None


def test_revoked_device_syncs_nothing(field_as, worker, due_resident):
    app = field_as(worker)
    assert app.post(f"/api/v1/field/devices/{app.device_id}/revoke", {}).status_code == 200
    response = app.sync(_visit(due_resident), _finding())
    assert response.status_code == 403
    reason = response.json()["errors"][0]
    assert reason["field"] == "device_id" and "停用" in reason["reason"]
    assert not Visit.objects.unscoped(reason="test").exists()
    assert not Matter.objects.unscoped(reason="test").filter(channel=Channel.FIELD).exists()
    assert not FieldSubmission.objects.unscoped(reason="test").exists()


def test_supervisor_revokes_a_workers_device(field_as, worker, supervisor, due_resident, login):
    app = field_as(worker)
    login(supervisor).post(f"/field/devices/{app.device_id}/revoke/")
    assert app.sync(_visit(due_resident)).status_code == 403
    assert not Visit.objects.unscoped(reason="test").exists()


def test_another_users_device_cannot_sync(field_as, worker, colleague, due_resident):
    mine = field_as(worker)
    theirs = field_as(colleague)
    response = mine.sync(_visit(due_resident), device_id=theirs.device_id)
    assert response.status_code == 403 and not Visit.objects.unscoped(reason="test").exists()


@pytest.mark.parametrize("what", ["account", "membership"])
def test_inactive_account_syncs_nothing(field_as, worker, due_resident, what):
    app = field_as(worker)
    queued = [_visit(due_resident), _finding()]
    if what == "account":
        worker.is_active = False
        worker.save(update_fields=["is_active"])
    else:
        worker.active_membership.is_active = False
        worker.active_membership.save(update_fields=["is_active"])
    response = app.sync(*queued)
    assert response.status_code in (401, 403)
    assert response.json()["errors"][0]["reason"]
    assert not Visit.objects.unscoped(reason="test").exists()
    assert not Matter.objects.unscoped(reason="test").filter(channel=Channel.FIELD).exists()
    assert not FieldSubmission.objects.unscoped(reason="test").exists()


def test_inactive_account_is_refused_by_the_service_with_a_clear_message(worker):
    from shegong.field import services
    from shegong.field.services import SyncRefused

    device = services.device_register(acting_user=worker, name="手机")
    worker.is_active = False
    with pytest.raises(SyncRefused) as refused:
        services.sync_records(acting_user=worker, device_id=str(device.pk), records=[])
    assert "停用" in refused.value.message


def test_cross_jurisdiction_sync_is_refused(field_as, worker, outside_worker, make_resident):
    elsewhere = make_resident(outside_worker, village=OTHER_VILLAGE, due=date.today())
    app = field_as(worker)
    results = app.sync(
        record("visit", {"resident_id": elsewhere.pk, "mode": "home"}),
        record("not_reached", {"resident_id": elsewhere.pk, "reason": "away"}),
        _finding(region_code=OTHER_VILLAGE),
        _finding(resident_id=elsewhere.pk, region_code=""),
    ).json()["results"]
    assert [r["status"] for r in results] == ["rejected"] * 4, results
    assert "resident_id" in results[0]["errors"] and "region" in results[2]["errors"]
    assert not Visit.objects.unscoped(reason="test").exists()
    assert not VisitAttempt.objects.unscoped(reason="test").exists()
    assert not Matter.objects.unscoped(reason="test").filter(channel=Channel.FIELD).exists()


def test_a_client_id_sent_by_another_user_is_not_theirs(field_as, worker, colleague, make_resident):
    mine = make_resident(worker, due=date.today())
    theirs = make_resident(colleague, due=date.today())
    sent = _visit(mine)
    assert field_as(worker).sync(sent).json()["results"][0]["status"] == "stored"
    copy = _visit(theirs)
    copy["client_id"] = sent["client_id"]
    result = field_as(colleague).sync(copy).json()["results"][0]
    assert result["status"] == "rejected" and result["server_id"] is None
    assert not Visit.objects.unscoped(reason="test").filter(resident=theirs).exists()


def test_submissions_list_only_mine(field_as, worker, colleague, due_resident):
    app = field_as(worker)
    app.sync(_visit(due_resident), _visit(due_resident, mode="bad"))
    items = app.get("/api/v1/field/submissions").json()["items"]
    assert {i["status"] for i in items} == {"stored", "rejected"}
    rejected = app.get("/api/v1/field/submissions", {"status": "rejected"}).json()["items"]
    assert len(rejected) == 1 and rejected[0]["errors"]
    assert field_as(colleague).get("/api/v1/field/submissions").json()["items"] == []


def test_a_role_without_the_register_right_cannot_sync_a_finding(
    field_as, supervisor, due_resident
):
    # a supervisor may visit (not from a route of theirs: no plan), but may not register a
    # matter: the finding alone is rejected
    results = (
        field_as(supervisor).sync(_visit(due_resident, plan_id=None), _finding()).json()["results"]
    )
    assert [r["status"] for r in results] == ["stored", "rejected"]


def test_device_list_and_revoke_by_another_worker_is_404(field_as, worker, colleague):
    mine = field_as(worker)
    other = field_as(colleague)
    assert [d["id"] for d in mine.get("/api/v1/field/devices").json()] == [mine.device_id]
    response = other.post(f"/api/v1/field/devices/{mine.device_id}/revoke", {})
    assert response.status_code == 404
    assert other.post(f"/api/v1/field/devices/{uuid.uuid4()}/revoke", {}).status_code == 404


def test_a_time_without_offset_is_taken_in_the_platforms_zone(field_as, worker, due_resident):
    sent = _visit(due_resident)
    sent["recorded_at"] = f"{date.today().isoformat()}T08:00:00"
    result = field_as(worker).sync(sent).json()["results"][0]
    assert result["status"] == "stored", result


def _sent_meanwhile(monkeypatch, app, worker, client_id, server_id="visit:999999"):
    """The same record arrives through another request between this one's lookup and its insert."""
    from django.utils import timezone

    from shegong.field import selectors
    from shegong.field.models import FieldDevice
    from shegong.field.services import sync

    real = selectors.submissions_by_client_id
    calls = {"n": 0}

    def lookup(*, client_ids):
        calls["n"] += 1
        if calls["n"] == 1:
            FieldSubmission.objects.create(
                client_id=client_id,
                device=FieldDevice.objects.unscoped(reason="test").get(pk=app.device_id),
                user=worker,
                region_code="440106001001",
                kind="visit",
                status="stored",
                recorded_at=timezone.now(),
                server_id=server_id,
                url="/people/visits/999999/",
            )
            return {}
        return real(client_ids=client_ids)

    monkeypatch.setattr(sync.selectors, "submissions_by_client_id", lookup)


@pytest.mark.parametrize("bad", [False, True], ids=["stored", "rejected"])
def test_the_same_record_synced_twice_at_the_same_moment_is_a_duplicate(
    monkeypatch, field_as, worker, due_resident, bad
):
    app = field_as(worker)
    sent = _visit(due_resident, **({"mode": "bad"} if bad else {}))
    _sent_meanwhile(monkeypatch, app, worker, sent["client_id"])
    response = app.sync(sent)
    assert response.status_code == 200, response.content
    result = response.json()["results"][0]
    assert result["status"] == "duplicate" and result["server_id"] == "visit:999999", result
    assert not Visit.objects.unscoped(reason="test").exists()
    assert FieldSubmission.objects.unscoped(reason="test").count() == 1


def test_a_record_sent_meanwhile_by_another_user_is_refused_not_a_crash(
    monkeypatch, field_as, worker, colleague, due_resident
):
    other = field_as(colleague)
    sent = _visit(due_resident)
    _sent_meanwhile(monkeypatch, other, colleague, sent["client_id"])
    response = field_as(worker).sync(sent)
    assert response.status_code == 200, response.content
    result = response.json()["results"][0]
    assert result["status"] == "rejected" and result["server_id"] is None, result
    assert not Visit.objects.unscoped(reason="test").exists()
