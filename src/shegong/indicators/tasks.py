"""The night refresh (02:40) of every active indicator's cached values for the last complete
month, quarter, year and rolling year, booked by `shegong schedule_tasks` (core/schedule.py)."""

from __future__ import annotations

from datetime import time

from django_tasks import task

from shegong.core.schedule import book_next

REFRESH_AT = time(2, 40)


@task()
def indicators_refresh_task(reschedule: bool = False) -> int:
    from django.utils import timezone

    from shegong.indicators.periods import TYPES, Period
    from shegong.indicators.services import values_refresh

    today = timezone.localdate()
    written = sum(values_refresh(period=Period.current(type, today)) for type in TYPES)
    if reschedule:
        book_next(indicators_refresh_task, REFRESH_AT)
    return written


DAILY = [(indicators_refresh_task, REFRESH_AT)]
