"""The route a worker downloads: their due visits, only inside their jurisdiction, masked IDs."""

from __future__ import annotations

from datetime import date, timedelta

from shegong.core.models import AuditLog
from tests.field.conftest import OTHER_VILLAGE


def test_route_holds_my_due_visits_with_essentials_and_forms(field_as, worker, make_resident):
    due = make_resident(worker, name="李奶奶", due=date.today())
    make_resident(worker, name="下月再访", due=date.today() + timedelta(days=30))
    data = field_as(worker).route()
    assert [v["resident"]["name"] for v in data["visits"]] == ["李奶奶"]
    item = data["visits"][0]
    person = item["resident"]
    assert person["id"] == due.pk
    assert person["id_number_masked"] == due.id_number_masked and "*" in person["id_number_masked"]
    assert person["address"] == "五山路 1 号" and person["phone"] == "13800138000"
    assert person["categories"][0]["code"] == "living_alone"
    assert person["region_name"]
    assert [c["field"] for c in item["checklist"]][:2] == ["finding_health", "finding_living"]
    assert data["wipe_after_days"] == 3
    choices = data["choices"]
    assert {"home", "phone", "video"} == {c["value"] for c in choices["visit_modes"]}
    assert any(c["value"] == "nobody_home" for c in choices["not_reached_reasons"])
    assert choices["finding_categories"] and choices["needs_categories"]
    assert AuditLog.objects.filter(action="field.route_download", actor=worker).exists()


def test_route_never_carries_a_full_id_number(field_as, worker, due_resident):
    from shegong.core.crypto import decrypt

    full = decrypt(due_resident.id_number_encrypted)
    response = field_as(worker).get("/api/v1/field/route")
    assert full not in response.content.decode()


def test_route_shows_recent_notes(field_as, worker, due_resident):
    from shegong.people import services

    services.visit_record(
        resident=due_resident,
        acting_user=worker,
        visited_on=date.today() - timedelta(days=40),
        mode="home",
        finding_living="冰箱空了",
    )
    from shegong.people.models import VisitPlan

    VisitPlan.objects.unscoped(reason="test").filter(resident=due_resident).update(
        next_due_date=date.today()
    )
    notes = field_as(worker).route()["visits"][0]["recent_notes"]
    assert notes[0]["notes"] == [{"label": "生活照料", "text": "冰箱空了"}]


def test_route_has_no_resident_outside_the_jurisdiction(
    field_as, worker, outside_worker, make_resident
):
    from shegong.people.models import Resident, VisitPlan

    mine = make_resident(worker, due=date.today())
    elsewhere = make_resident(outside_worker, village=OTHER_VILLAGE, due=date.today())
    # even a plan naming the worker, for a resident outside their jurisdiction
    VisitPlan.objects.unscoped(reason="test").filter(resident=elsewhere).update(worker=worker)
    Resident.objects.unscoped(reason="test").filter(pk=elsewhere.pk).update(assigned_worker=worker)
    ids = [v["resident"]["id"] for v in field_as(worker).route()["visits"]]
    assert ids == [mine.pk]
    ids = [v["resident"]["id"] for v in field_as(outside_worker).route()["visits"]]
    assert mine.pk not in ids


def test_route_leaves_out_another_workers_visits(field_as, worker, colleague, make_resident):
    make_resident(worker, due=date.today(), worker=colleague)
    assert field_as(worker).route()["visits"] == []


def test_route_refused_to_a_role_that_does_not_visit(field_as, county_user):
    response = field_as(county_user, register=False).get("/api/v1/field/route")
    assert response.status_code == 403
