"""Background tasks (django-tasks): the day-before reminders, daily at 18:00 (see
`shegong.core.schedule`)."""

from __future__ import annotations

from datetime import date, time

from django_tasks import task

from shegong.core.schedule import book_next

REMIND_AT = time(18, 0)


@task()
def send_shift_reminders(day: str | None = None, reschedule: bool = False) -> int:
    """Remind accepted volunteers of the shifts on `day` (ISO date; default tomorrow)."""
    from shegong.volunteers.services import reminders_send

    sent = reminders_send(day=date.fromisoformat(day) if day else None)
    if reschedule:
        book_next(send_shift_reminders, REMIND_AT)
    return sent


DAILY = [(send_shift_reminders, REMIND_AT)]
