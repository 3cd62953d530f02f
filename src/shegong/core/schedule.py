"""Daily background work: tasks that run at a set local time and then book their next run.

An app lists its daily tasks in `tasks.py` as `DAILY = [(task, time(h, m)), ...]`; each such task
takes `reschedule: bool` and, when it is true, calls `book_next(task, at)` when done.
`shegong schedule_tasks` books the first run of every daily task (`make demo` runs it and starts
`shegong db_worker` beside the web server). An app's `PERIODIC = [task, ...]` lists tasks that
book their own next run a short while later (the worker's heartbeat); `schedule_tasks` books a
first run of each now. In production `shegong scheduler` does the same every minute, so that a
booking lost with a failed run is made again. With a backend that cannot defer (the tests' immediate
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


def _waiting(task, by: datetime | None = None) -> bool:
    """A run of `task` is booked and not yet started (however far ahead; with `by`, one that
    may start by then)."""
    try:
        from django.db.models import Q
        from django_tasks_db.models import DBTaskResult
    except ImportError:  # another backend: nothing to look at
        return False
    waiting = DBTaskResult.objects.filter(status="READY", task_path=task.module_path)
    if by is not None:
        waiting = waiting.filter(Q(run_after__isnull=True) | Q(run_after__lte=by))
    return waiting.exists()


STALE_RUN = timedelta(hours=6)  # a run "running" for longer is taken for one whose worker died


def runs_pending(task) -> list[dict]:
    """The keyword arguments of the runs of `task` booked and not finished: waiting, or started
    less than `STALE_RUN` ago (with a backend that keeps its runs in the database; [] with
    another). What a caller looks at before booking work that must not be booked twice."""
    try:
        from django.db.models import Q
        from django_tasks_db.models import DBTaskResult
    except ImportError:  # another backend: nothing to look at
        return []
    runs = DBTaskResult.objects.filter(task_path=task.module_path).filter(
        Q(status="READY") | Q(status="RUNNING", started_at__gte=timezone.now() - STALE_RUN)
    )
    return [row.get("kwargs") or {} for row in runs.values_list("args_kwargs", flat=True)]


def book_once(task, at: datetime, **kwargs) -> bool:
    """Book a run of `task` at `at` unless a run is already waiting to start by then (with a
    backend that can defer; the tests' immediate backend cannot); True if booked."""
    if not default_task_backend.supports_defer or _waiting(task, by=at):
        return False
    task.using(run_after=at).enqueue(**kwargs)
    return True


def book_next(task, at: time) -> bool:
    """Book the next run of a daily task unless one is already waiting; True if booked."""
    if not default_task_backend.supports_defer or _waiting(task):
        return False
    task.using(run_after=next_daily_run(at)).enqueue(reschedule=True)
    return True


def _declared(name: str) -> list:
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
        found += list(getattr(module, name, ()))
    return found


def daily_tasks() -> list[tuple[object, time]]:
    return _declared("DAILY")


def periodic_tasks() -> list[object]:
    return _declared("PERIODIC")


def book_all() -> list[tuple[object, datetime, bool]]:
    """Book every daily task's next run and every periodic task's first run where none is
    waiting: `(task, when, booked)` for each."""
    done = []
    for task, at in daily_tasks():
        done.append((task, next_daily_run(at), book_next(task, at)))
    now = timezone.now()
    for task in periodic_tasks():
        done.append((task, now, book_once(task, now + timedelta(minutes=1), reschedule=True)))
    return done
