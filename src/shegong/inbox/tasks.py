"""The daily notifications (07:30), booked by `shegong schedule_tasks` (see
`shegong.core.schedule`)."""

from __future__ import annotations

from datetime import time

from django_tasks import task

from shegong.core.schedule import book_next

NOTIFY_AT = time(7, 30)


@task()
def notify_due_task(reschedule: bool = False) -> int:
    from shegong.inbox.services import notify_due

    created = notify_due()
    if reschedule:
        book_next(notify_due_task, NOTIFY_AT)
    return created


DAILY = [(notify_due_task, NOTIFY_AT)]
