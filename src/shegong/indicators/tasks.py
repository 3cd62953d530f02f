"""The night refresh (02:40) of every active indicator's cached values for the last complete
month, quarter, year and rolling year, and the daily check (06:30, after the refresh) that writes
the departments' monthly reports on the first working day of a month; both booked by `shegong
schedule_tasks` (core/schedule.py)."""

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


REPORTS_AT = time(6, 30)


@task()
def monthly_reports_task(reschedule: bool = False) -> int:
    """Every day: on the first working day of a month, the previous month's report of every
    department that has not got it yet (a later run the same day writes only the missing)."""
    from shegong.indicators.services import monthly_reports_generate

    written = monthly_reports_generate()
    if reschedule:
        book_next(monthly_reports_task, REPORTS_AT)
    return written


DAILY = [(indicators_refresh_task, REFRESH_AT), (monthly_reports_task, REPORTS_AT)]
