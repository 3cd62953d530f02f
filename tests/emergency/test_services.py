"""Emergency sweep services: declaring makes exactly the target residents' tasks, scoping,
recording outcomes (needs help → an assistance record, the resident's history), idempotent
client ids, and reminders escalating at 50 / 75 / 90 % of the time (a fixed clock)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from shegong.emergency import selectors, services
from shegong.emergency.models import Outcome, SweepOutcome, SweepTask
from shegong.inbox.models import Notification
from shegong.people.models import Assistance
from tests.emergency.conftest import START, V1


def _tasks(event):
    return SweepTask.objects.unscoped(reason="test").filter(event=event)


def _task_of(event, resident):
    return _tasks(event).get(resident=resident)


def test_declaring_creates_exactly_the_target_residents_tasks(world, declare):
    event = declare()
    residents = set(_tasks(event).values_list("resident_id", flat=True))
    expected = {world.residents[k].pk for k in ("alone1", "alone2", "disabled", "child")}
    assert residents == expected
    assert world.residents["outside"].pk not in residents  # outside the area
    assert world.residents["dibao_only"].pk not in residents  # not in the groups
    assert event.task_count == 4
    assert event.status == "declared"
    assert event.due_at == START + timedelta(hours=24)


def test_tasks_go_to_the_responsible_worker_else_the_station(world, declare):
    event = declare()
    alone1 = _task_of(event, world.residents["alone1"])
    assert alone1.worker == world["county"]  # the resident's own worker
    other = _task_of(event, world.residents["disabled"])
    assert other.worker == world["station"]  # no worker: the township station's worker
    assert set(_tasks(event).values_list("station_id", flat=True)) == {world.units["station"].pk}


def test_a_township_area_covers_its_villages_once(world, declare):
    event = declare(areas=("440106001000", V1))  # nested: counted once
    assert event.task_count == 4
    assert event.areas.count() == 1


def test_only_a_county_or_higher_department_declares(world, declare):
    with pytest.raises((PermissionDenied, ValidationError)):
        declare(world["station"])


def test_another_county_cannot_declare_over_tianhe(world, declare):
    with pytest.raises(ValidationError):
        declare(world["yingde"])


def test_another_county_cannot_see_or_record(world, declare):
    event = declare()
    task = _task_of(event, world.residents["alone1"])
    outsider = world["yingde"]
    assert not selectors.event_list(fetched_by=outsider).exists()
    with pytest.raises(Http404):
        selectors.get_event_for(fetched_by=outsider, pk=event.pk)
    with pytest.raises(Http404):
        selectors.get_task_for(fetched_by=outsider, pk=task.pk)
    with pytest.raises(ValidationError):
        services.outcome_record(task=task, acting_user=outsider, outcome=Outcome.SAFE)
    assert not SweepOutcome.objects.unscoped(reason="test").exists()


def test_the_station_sees_the_county_event_and_its_own_tasks(world, declare):
    event = declare(areas=("440106000000",))  # the whole county
    station = world["station"]
    assert selectors.get_event_for(fetched_by=station, pk=event.pk) == event
    seen = set(
        selectors.tasks_of(fetched_by=station, event=event).values_list("region_code", flat=True)
    )
    assert seen and all(code.startswith("440106001") for code in seen)
    assert event.task_count == 5  # the 员村 resident is inside the county


def test_needs_help_becomes_an_assistance_record_and_history(world, declare):
    event = declare()
    services.event_start(event=event, acting_user=world["county"])
    task = _task_of(event, world.residents["alone2"])
    record = services.outcome_record(
        task=task,
        acting_user=world["station"],
        outcome=Outcome.NEEDS_HELP,
        need_category="supplies",
        need_text="缺少饮用水和米",
    )
    task.refresh_from_db()
    assert task.outcome == Outcome.NEEDS_HELP
    assistance = Assistance.objects.unscoped(reason="test").get(resident=world.residents["alone2"])
    assert task.assistance == assistance == record.assistance
    assert assistance.kind == "material"
    assert "缺少饮用水和米" in assistance.description
    history = selectors.outcomes_of_resident(
        fetched_by=world["station"], resident=world.residents["alone2"]
    )
    assert [o.outcome for o in history] == [Outcome.NEEDS_HELP]
    totals = selectors.board_totals(fetched_by=world["county"], event=event)
    assert (totals.total, totals.needs_help, totals.pending) == (4, 1, 3)


def test_outcome_needs_its_details(world, declare):
    event = declare()
    task = _task_of(event, world.residents["alone1"])
    with pytest.raises(ValidationError):
        services.outcome_record(task=task, acting_user=world["station"], outcome=Outcome.NEEDS_HELP)
    with pytest.raises(ValidationError):
        services.outcome_record(
            task=task, acting_user=world["station"], outcome=Outcome.NOT_REACHED
        )
    with pytest.raises(ValidationError):
        services.outcome_record(task=task, acting_user=world["station"], outcome="pending")


def test_not_reached_counts_attempts_then_reached(world, declare):
    event = declare()
    task = _task_of(event, world.residents["child"])
    for _ in range(2):
        services.outcome_record(
            task=task, acting_user=world["station"], outcome=Outcome.NOT_REACHED, reason="无人接听"
        )
    task.refresh_from_db()
    assert (task.outcome, task.attempts, task.rank) == (Outcome.NOT_REACHED, 2, 1)
    services.outcome_record(task=task, acting_user=world["station"], outcome=Outcome.SAFE)
    task.refresh_from_db()
    assert (task.outcome, task.rank) == (Outcome.SAFE, 3)
    assert task.outcomes.count() == 3


def test_the_same_client_id_is_stored_once(world, declare):
    event = declare()
    task = _task_of(event, world.residents["alone2"])
    kwargs = dict(
        task=task,
        acting_user=world["station"],
        outcome=Outcome.NEEDS_HELP,
        need_category="medical",
        need_text="需要送药",
        client_id="device-1:0001",
    )
    first = services.outcome_record(**kwargs)
    again = services.outcome_record(**kwargs)
    assert first.pk == again.pk
    assert SweepOutcome.objects.unscoped(reason="test").count() == 1
    assert Assistance.objects.unscoped(reason="test").count() == 1
    other = _task_of(event, world.residents["alone1"])
    with pytest.raises(ValidationError):
        services.outcome_record(**{**kwargs, "task": other})


def test_a_closed_event_takes_no_more_outcomes(world, declare):
    event = declare()
    services.event_close(event=event, acting_user=world["county"], summary="解除")
    task = _task_of(event, world.residents["alone1"])
    with pytest.raises(ValidationError):
        services.outcome_record(task=task, acting_user=world["station"], outcome=Outcome.SAFE)


def test_board_counts_by_township_and_village(world, declare):
    event = declare()
    task = _task_of(event, world.residents["alone1"])
    services.outcome_record(task=task, acting_user=world["station"], outcome=Outcome.SAFE)
    level, rows = selectors.board_rows(fetched_by=world["county"], event=event)
    assert level == "township"
    assert [(r.code, r.total, r.safe) for r in rows] == [("440106001", 4, 1)]
    level, rows = selectors.board_rows(
        fetched_by=world["county"], event=event, township="440106001"
    )
    assert level == "village"
    by_code = {r.code: (r.total, r.safe, r.pending) for r in rows}
    assert by_code[V1] == (2, 1, 1)
    first = selectors.task_list(fetched_by=world["county"], event=event, outcome="all").first()
    assert first.outcome == Outcome.PENDING  # not yet reached first


def _notified(kind):
    return set(
        Notification.objects.unscoped(reason="test")
        .filter(kind=kind)
        .values_list("recipient_id", flat=True)
    )


@pytest.mark.django_db(transaction=False)
def test_reminders_escalate_at_the_thresholds(world, declare, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        event = declare()
        services.event_start(event=event, acting_user=world["county"])
    assert _notified("sweep_assigned") == {world["county"].pk, world["station"].pk}
    # Everyone but one resident of the station's worker reached.
    for key in ("alone1", "alone2", "child"):
        services.outcome_record(
            task=_task_of(event, world.residents[key]),
            acting_user=world["station"],
            outcome=Outcome.SAFE,
        )
    assert services.sweep_reminders(now=START + timedelta(hours=11)) == 0  # 46 %
    assert services.sweep_reminders(now=START + timedelta(hours=12)) == 1  # 50 %: the worker
    assert _notified("sweep_reminder") == {world["station"].pk}
    assert _notified("sweep_escalated") == set()
    assert services.sweep_reminders(now=START + timedelta(hours=13)) == 0  # told once
    services.sweep_reminders(now=START + timedelta(hours=18))  # 75 %: + the station head
    assert _notified("sweep_escalated") == {world["head"].pk}
    services.sweep_reminders(now=START + timedelta(hours=21, minutes=36))  # 90 %: + the county
    assert _notified("sweep_escalated") == {world["head"].pk, world["county"].pk}
    assert world["yingde"].pk not in _notified("sweep_escalated")
    county_note = Notification.objects.unscoped(reason="test").get(
        kind="sweep_escalated", recipient=world["county"]
    )
    assert "1" in county_note.title and "90" in county_note.title


def test_thresholds_follow_the_clock():
    from types import SimpleNamespace

    event = SimpleNamespace(starts_at=START, due_at=START + timedelta(hours=10))
    assert services.thresholds_reached(event, START + timedelta(hours=4)) == []
    assert services.thresholds_reached(event, START + timedelta(hours=5)) == [50]
    assert services.thresholds_reached(event, START + timedelta(hours=9)) == [50, 75, 90]


def test_starting_mobilises_volunteers_in_the_area(world, declare):
    from django.utils import timezone

    event = declare(start=timezone.now(), volunteer_capacity=5)
    services.event_start(event=event, acting_user=world["county"])
    event.refresh_from_db()
    activity = event.volunteer_activity
    assert activity is not None and activity.status == "published"
    assert activity.region_id == "440106001000"  # the area's common region
    assert activity.service_type == "emergency"
    assert activity.shifts.count() == 3 and {s.capacity for s in activity.shifts.all()} == {5}
