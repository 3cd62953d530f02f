"""The daily sweep (06:10) that lets title results take effect after their public notice,
booked by `shegong schedule_tasks` (see `shegong.core.schedule`)."""

from __future__ import annotations

from datetime import time

from django_tasks import task

from shegong.core.schedule import book_next

SWEEP_AT = time(6, 10)


@task()
def title_notice_sweep_task(reschedule: bool = False) -> int:
    from shegong.careers.services.titles import notice_sweep

    taken = notice_sweep()
    if reschedule:
        book_next(title_notice_sweep_task, SWEEP_AT)
    return taken


DAILY = [(title_notice_sweep_task, SWEEP_AT)]
