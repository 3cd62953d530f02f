"""The daily registration sweep (06:30): lapsed registrations marked, those lapsing short of
their continuing-education hours notified (see core.schedule)."""

from __future__ import annotations

from datetime import time

from django_tasks import task

from shegong.core.schedule import book_next

SWEEP_AT = time(6, 30)


@task()
def registrations_sweep_task(reschedule: bool = False) -> dict:
    from shegong.workforce.services import registrations_sweep

    outcome = registrations_sweep()
    if reschedule:
        book_next(registrations_sweep_task, SWEEP_AT)
    return outcome


DAILY = [(registrations_sweep_task, SWEEP_AT)]
