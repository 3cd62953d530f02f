"""The daily sweep of directives as a background task (django-tasks): run at 01:30, it marks the
copies not acknowledged or not completed in time as overdue and escalates them, and reminds
the copies that owe a periodic progress report (see
`services.directive_sweep`). With the database backend each run books the next."""

from __future__ import annotations

from datetime import datetime, time

from django_tasks import task

from shegong.core.schedule import book_next, next_daily_run

SWEEP_AT = time(1, 30)


def next_run(now: datetime | None = None) -> datetime:
    return next_daily_run(SWEEP_AT, now)


@task()
def directive_sweep_task(reschedule: bool = True) -> dict:
    from shegong.directives.services import directive_sweep

    result = directive_sweep()
    if reschedule:
        schedule_next()
    return {
        "overdue": result.overdue,
        "escalated": result.escalated,
        "cadence_reminded": result.cadence_reminded,
    }


def schedule_next() -> bool:
    """Book the next nightly run unless one is already waiting."""
    return book_next(directive_sweep_task, SWEEP_AT)


DAILY = [(directive_sweep_task, SWEEP_AT)]
