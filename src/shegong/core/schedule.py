"""Daily background work: tasks that run at a set local time and then book their next run.

An app lists its daily tasks in `tasks.py` as `DAILY = [(task, time(h, m)), ...]`; each such task
takes `reschedule: bool` and, when it is true, calls `book_next(task, at)` when done.
`shegong schedule_tasks` books the first run of every daily task (`make demo` runs it and starts
`shegong db_worker` beside the web server). With a backend that cannot defer (the tests' immediate
backend) nothing is booked.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from importlib import import_module

from django.apps import apps
from django.utils import timezone
from django_tasks import default_task_backend


def next_daily_run(at: time, now: datetime | None = None) -> datetime:
    """The next local `at` after `now`."""
    now = timezone.localtime(now or timezone.now())
    run = timezone.make_aware(datetime.combine(now.date(), at))
    return run if run > now else run + timedelta(days=1)


def _waiting(task) -> bool:
    """A run of `task` is booked and not yet started (however far ahead)."""
    try:
        from django_tasks_db.models import DBTaskResult
    except ImportError:  # another backend: nothing to look at
        return False
    return DBTaskResult.objects.filter(status="READY", task_path=task.module_path).exists()


def book_next(task, at: time) -> bool:
    """Book the next run of a daily task unless one is already waiting; True if booked."""
    if not default_task_backend.supports_defer or _waiting(task):
        return False
    task.using(run_after=next_daily_run(at)).enqueue(reschedule=True)
    return True


def daily_tasks() -> list[tuple[object, time]]:
    found = []
    for config in apps.get_app_configs():
        if not config.name.startswith("shegong."):
            continue
        try:
            module = import_module(f"{config.name}.tasks")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.tasks":
                raise
            continue
        found += list(getattr(module, "DAILY", ()))
    return found
