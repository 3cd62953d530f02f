"""Sweep outcomes from the field app (issue 19): the open tasks come with the route download
(masked ID only, the worker's own, inside scope), a queued outcome is stored once by
outcome_record, a needs-help outcome becomes an assistance record, another county's task is
refused."""

from __future__ import annotations

import pytest

from shegong.emergency.models import Outcome, SweepOutcome, SweepTask
from shegong.field.models import FieldSubmission
from shegong.people.models import Assistance
from tests.field.conftest import FieldClient, record


@pytest.fixture
def station_app(client, world):
    app = FieldClient(client, world["station"])
    app.register()
    return app


def _task(world, key):
    return SweepTask.objects.unscoped(reason="test").get(resident=world.residents[key])


def _outcome(task, outcome, **extra):
    return record("sweep_outcome", {"task_id": task.pk, "outcome": outcome, **extra})


def test_route_carries_the_workers_open_sweep_tasks(world, declare, station_app):
    event = declare()
    route = station_app.route()
    sweeps = route["sweeps"]
    mine = SweepTask.objects.unscoped(reason="test").filter(worker=world["station"])
    assert sorted(s["task_id"] for s in sweeps) == sorted(t.pk for t in mine) and sweeps
    first = sweeps[0]
    assert first["event"] == {
        "id": event.pk,
        "title": "台风应急排查",
        "due_at": first["event"]["due_at"],
    }
    resident = first["resident"]
    assert "*" in resident["id_number_masked"] and "id_number" not in resident
    values = {c["value"] for c in route["choices"]["sweep_outcomes"]}
    assert values == {"reached_safe", "reached_needs_help", "not_reached"}
    assert "supplies" in {c["value"] for c in route["choices"]["sweep_need_categories"]}
    # a task once reached leaves the route
    station_app.sync(_outcome(_task(world, "disabled"), "reached_safe"))
    again = {s["task_id"] for s in station_app.route()["sweeps"]}
    assert _task(world, "disabled").pk not in again


def test_an_outcome_is_stored_once_and_resent_as_a_duplicate(world, declare, station_app):
    declare()
    task = _task(world, "disabled")
    sent = _outcome(task, "not_reached", reason="家中无人，电话未接")
    first = station_app.sync(sent).json()["results"][0]
    assert first["status"] == "stored", first
    stored = SweepOutcome.objects.unscoped(reason="test").get(task=task)
    assert first["server_id"] == f"sweep:{stored.pk}" and stored.client_id == sent["client_id"]
    assert stored.recorded_by == world["station"] and stored.reason == "家中无人，电话未接"
    again = station_app.sync(sent).json()["results"][0]
    assert again["status"] == "duplicate" and again["server_id"] == first["server_id"]
    assert SweepOutcome.objects.unscoped(reason="test").filter(task=task).count() == 1
    task.refresh_from_db()
    assert task.outcome == Outcome.NOT_REACHED


def test_needs_help_creates_the_assistance_record(world, declare, station_app):
    declare()
    task = _task(world, "alone2")
    result = station_app.sync(
        _outcome(task, "reached_needs_help", need_category="supplies", need_text="缺饮用水")
    ).json()["results"][0]
    assert result["status"] == "stored", result
    task.refresh_from_db()
    assistance = Assistance.objects.unscoped(reason="test").get(resident=world.residents["alone2"])
    assert task.outcome == Outcome.NEEDS_HELP and task.assistance == assistance
    assert "缺饮用水" in assistance.description


@pytest.mark.parametrize(
    "extra, field",
    [({}, "need_category"), ({"need_category": "supplies"}, "need_text")],
)
def test_needs_help_without_what_is_rejected(world, declare, station_app, extra, field):
    declare()
    task = _task(world, "alone2")
    result = station_app.sync(_outcome(task, "reached_needs_help", **extra)).json()["results"][0]
    assert result["status"] == "rejected" and field in result["errors"], result
    assert not SweepOutcome.objects.unscoped(reason="test").exists()


def test_another_countys_task_is_refused(world, declare, client):
    declare()
    task = _task(world, "disabled")
    outsider = FieldClient(client, world["yingde_station"])
    outsider.register()
    assert outsider.route()["sweeps"] == []
    result = outsider.sync(_outcome(task, "reached_safe")).json()["results"][0]
    assert result["status"] == "rejected" and result["server_id"] is None, result
    assert list(result["errors"]) == ["task_id"], result  # the field the phone sent
    assert not SweepOutcome.objects.unscoped(reason="test").exists()
    task.refresh_from_db()
    assert task.outcome == Outcome.PENDING
    kept = FieldSubmission.objects.unscoped(reason="test").get()
    assert kept.status == "rejected" and kept.kind == "sweep_outcome"
