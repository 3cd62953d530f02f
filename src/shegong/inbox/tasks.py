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


@task()
def deliver_task() -> dict:
    """Send the outbound deliveries that are due (started when deliveries are queued), then
    book the next run when some wait: a retry, the end of quiet hours, a rate-limit window."""
    from shegong.inbox.outbound.services import deliveries_send_due, sender_book

    sweep = deliveries_send_due()
    if sweep.wake_at is not None:
        sender_book(sweep.wake_at)
    return {"sent": sweep.sent, "failed": sweep.failed, "given_up": sweep.given_up}


DAILY = [(notify_due_task, NOTIFY_AT)]
