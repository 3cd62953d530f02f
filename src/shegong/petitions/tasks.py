"""The deadline sweep as a background task (django-tasks). With the database backend it
re-schedules itself for the next night, so one enqueue (``shegong petitions_sweep --schedule``)
keeps it running under ``db_worker``."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.utils import timezone
from django_tasks import default_task_backend, task

SWEEP_AT = time(1, 0)


def next_run(now: datetime | None = None) -> datetime:
    now = timezone.localtime(now or timezone.now())
    run = timezone.make_aware(datetime.combine(now.date(), SWEEP_AT))
    return run if run > now else run + timedelta(days=1)


@task()
def deadline_sweep_task(reschedule: bool = True) -> dict:
    from shegong.petitions.deadlines import deadline_sweep

    result = deadline_sweep()
    if reschedule and default_task_backend.supports_defer:
        schedule_next()
    return {"overdue": result.overdue, "reminded": result.reminded}


def schedule_next() -> None:
    """Enqueue the next nightly run unless one is already waiting."""
    try:
        from django_tasks_db.models import DBTaskResult

        # Waiting = not run yet, however far ahead (ready() would hide future runs).
        waiting = DBTaskResult.objects.filter(
            status="READY", task_path__endswith="deadline_sweep_task"
        ).exists()
    except Exception:  # another backend: nothing to look at
        waiting = False
    if not waiting:
        deadline_sweep_task.using(run_after=next_run()).enqueue()
