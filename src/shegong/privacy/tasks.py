"""The daily anonymisation of records past their retention period (02:30), booked by
`shegong schedule_tasks` (see `shegong.core.schedule`)."""

from __future__ import annotations

from datetime import time

from django_tasks import task

from shegong.core.schedule import book_next

ANONYMISE_AT = time(2, 30)


@task()
def anonymise_expired_task(reschedule: bool = False) -> dict:
    from shegong.privacy.retention import anonymise_expired

    summary = anonymise_expired(actor_name="retention (daily task)")
    if reschedule:
        book_next(anonymise_expired_task, ANONYMISE_AT)
    return {kind: item["records"] for kind, item in summary.items()}


DAILY = [(anonymise_expired_task, ANONYMISE_AT)]
