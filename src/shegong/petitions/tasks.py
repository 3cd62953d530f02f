"""The deadline sweep as a background task (django-tasks). Run daily at 01:00: with the database
backend each run books the next (see `shegong.core.schedule`), so one `shegong schedule_tasks`
(or `shegong petitions_sweep --schedule`) keeps it running under `db_worker`."""

from __future__ import annotations

from datetime import datetime, time

from django_tasks import task

from shegong.core.schedule import book_next, next_daily_run

SWEEP_AT = time(1, 0)


def next_run(now: datetime | None = None) -> datetime:
    return next_daily_run(SWEEP_AT, now)


@task()
def deadline_sweep_task(reschedule: bool = True) -> dict:
    from shegong.petitions.deadlines import deadline_sweep

    result = deadline_sweep()
    if reschedule:
        schedule_next()
    return {"overdue": result.overdue, "reminded": result.reminded}


def schedule_next() -> bool:
    """Book the next nightly run unless one is already waiting."""
    return book_next(deadline_sweep_task, SWEEP_AT)


DAILY = [(deadline_sweep_task, SWEEP_AT)]
