"""Background tasks (django-tasks): the day-before reminders."""

from __future__ import annotations

from datetime import date

from django_tasks import task


@task()
def send_shift_reminders(day: str | None = None) -> int:
    """Remind accepted volunteers of the shifts on `day` (ISO date; default tomorrow)."""
    from shegong.volunteers.services import reminders_send

    return reminders_send(day=date.fromisoformat(day) if day else None)
