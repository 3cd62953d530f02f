"""The escalating reminders of emergency sweeps: a periodic task that books its own next run
ten minutes later (core.schedule PERIODIC), since a sweep's thresholds are hours apart."""

from __future__ import annotations

from datetime import timedelta

from django_tasks import task

EVERY = timedelta(minutes=10)


@task()
def sweep_reminders_task(reschedule: bool = True) -> int:
    from django.utils import timezone

    from shegong.core.schedule import book_once
    from shegong.emergency.services import sweep_reminders

    sent = sweep_reminders(now=timezone.now())
    if reschedule:
        book_once(sweep_reminders_task, timezone.now() + EVERY, reschedule=True)
    return sent


PERIODIC = [sweep_reminders_task]
