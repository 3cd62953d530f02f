"""The worker's heartbeat: a task that writes the running worker's row and books its next run a
minute later, so that a fresh beat proves the worker is taking tasks from the queue (not only
that its process exists). `shegong schedule_tasks` and `shegong scheduler` book the first run;
a run that finds one already waiting books none."""

from __future__ import annotations

from datetime import timedelta

from django_tasks import task

EVERY = timedelta(minutes=1)


@task()
def worker_heartbeat_task(reschedule: bool = True) -> str:
    from django.utils import timezone

    from shegong.core.schedule import book_once
    from shegong.ops.services import heartbeat_record

    beat = heartbeat_record()
    if reschedule:
        book_once(worker_heartbeat_task, timezone.now() + EVERY, reschedule=True)
    return beat.worker


PERIODIC = [worker_heartbeat_task]
