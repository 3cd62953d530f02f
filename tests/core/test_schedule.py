"""Daily background tasks: `shegong schedule_tasks` books each once, at its next local time, and
a run books the next one."""

from __future__ import annotations

from datetime import datetime, time
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.test import override_settings

from shegong.core.schedule import daily_tasks, next_daily_run, periodic_tasks

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
SHANGHAI = ZoneInfo("Asia/Shanghai")
HEARTBEAT = "shegong.ops.tasks.worker_heartbeat_task"
SWEEP_REMINDERS = "shegong.emergency.tasks.sweep_reminders_task"


def test_next_daily_run_is_today_or_tomorrow_at_the_local_time():
    before = datetime(2026, 11, 29, 17, 0, tzinfo=SHANGHAI)
    after = datetime(2026, 11, 29, 19, 0, tzinfo=SHANGHAI)
    assert next_daily_run(time(18, 0), before) == datetime(2026, 11, 29, 18, 0, tzinfo=SHANGHAI)
    assert next_daily_run(time(18, 0), after) == datetime(2026, 11, 30, 18, 0, tzinfo=SHANGHAI)


def test_the_apps_declare_the_sweep_and_the_reminders():
    assert {task.module_path for task in periodic_tasks()} == {HEARTBEAT, SWEEP_REMINDERS}
    paths = {task.module_path for task, _ in daily_tasks()}
    assert paths == {
        "shegong.careers.tasks.title_notice_sweep_task",
        "shegong.careers.tasks.staffing_tally_task",
        "shegong.core.tasks.audit_verify_task",
        "shegong.core.tasks.partitions_ensure_task",
        "shegong.petitions.tasks.deadline_sweep_task",
        "shegong.volunteers.tasks.send_shift_reminders",
        "shegong.inbox.tasks.notify_due_task",
        "shegong.privacy.tasks.anonymise_expired_task",
        "shegong.people.tasks.tally_refresh_task",
        "shegong.workforce.tasks.registrations_sweep_task",
        "shegong.directives.tasks.directive_sweep_task",
        "shegong.indicators.tasks.indicators_refresh_task",
        "shegong.indicators.tasks.monthly_reports_task",
    }


@pytest.mark.django_db
@override_settings(TASKS=DB_TASKS)
def test_schedule_tasks_books_each_daily_task_once():
    from django_tasks_db.models import DBTaskResult

    call_command("schedule_tasks", stdout=StringIO())
    call_command("schedule_tasks", stdout=StringIO())  # again: nothing more
    waiting = DBTaskResult.objects.filter(status="READY").exclude(
        task_path__in=(HEARTBEAT, SWEEP_REMINDERS)
    )
    assert DBTaskResult.objects.filter(status="READY", task_path=SWEEP_REMINDERS).count() == 1
    heartbeat = DBTaskResult.objects.get(status="READY", task_path=HEARTBEAT)  # periodic: once
    assert heartbeat.args_kwargs["kwargs"] == {"reschedule": True}
    assert sorted(waiting.values_list("task_path", flat=True)) == [
        "shegong.careers.tasks.staffing_tally_task",
        "shegong.careers.tasks.title_notice_sweep_task",
        "shegong.core.tasks.audit_verify_task",
        "shegong.core.tasks.partitions_ensure_task",
        "shegong.directives.tasks.directive_sweep_task",
        "shegong.inbox.tasks.notify_due_task",
        "shegong.indicators.tasks.indicators_refresh_task",
        "shegong.indicators.tasks.monthly_reports_task",
        "shegong.people.tasks.tally_refresh_task",
        "shegong.petitions.tasks.deadline_sweep_task",
        "shegong.privacy.tasks.anonymise_expired_task",
        "shegong.volunteers.tasks.send_shift_reminders",
        "shegong.workforce.tasks.registrations_sweep_task",
    ]
    times = {
        "title_notice_sweep_task": time(6, 10),
        "notify_due_task": time(7, 30),
        "deadline_sweep_task": time(1, 0),
        "audit_verify_task": time(2, 30),
        "partitions_ensure_task": time(3, 10),
        "anonymise_expired_task": time(2, 30),
        "tally_refresh_task": time(0, 20),
        "staffing_tally_task": time(0, 40),
        "registrations_sweep_task": time(6, 30),
        "directive_sweep_task": time(1, 30),
        "indicators_refresh_task": time(2, 40),
        "monthly_reports_task": time(6, 30),
    }
    for row in waiting:
        at = times.get(row.task_path.rsplit(".", 1)[1], time(18, 0))
        assert row.run_after == next_daily_run(at)
        assert row.args_kwargs["kwargs"] == {"reschedule": True}


@pytest.mark.django_db
@override_settings(TASKS=DB_TASKS)
def test_a_run_books_the_next_one():
    from django_tasks_db.models import DBTaskResult

    from shegong.volunteers.tasks import send_shift_reminders

    send_shift_reminders.call(reschedule=True)
    booked = DBTaskResult.objects.get(status="READY")
    assert booked.task_path == "shegong.volunteers.tasks.send_shift_reminders"
    assert booked.run_after == next_daily_run(time(18, 0))
    send_shift_reminders.call()  # run by hand: books nothing
    assert DBTaskResult.objects.filter(status="READY").count() == 1
