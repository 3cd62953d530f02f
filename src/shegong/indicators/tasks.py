"""The night refresh (02:40) of every active indicator's cached values for the last twelve
complete months, four quarters, the last year and rolling year (`night_periods`), and the daily
check (06:30, after the refresh) that writes the departments' monthly reports on the first
working day of a month and the subscriptions' weekly and monthly reports; both booked by
`shegong schedule_tasks` (core/schedule.py). Between nights, `values_fill_task` counts the
periods a dashboard asked for and the cache did not hold."""

from __future__ import annotations

from datetime import time

from django_tasks import task

from shegong.core.schedule import book_next

REFRESH_AT = time(2, 40)


NIGHT_MONTHS = 12
NIGHT_QUARTERS = 4


def night_periods(today) -> list:
    """What the night job recomputes: the last twelve complete months (late entries and
    corrections reach back; the dashboards' trend lines read them), the last four complete
    quarters, the last complete year and the rolling year ending with the last month."""
    from shegong.indicators.periods import MONTH, QUARTER, ROLLING12, YEAR, Period

    periods = []
    for type, count in (
        (MONTH, NIGHT_MONTHS),
        (QUARTER, NIGHT_QUARTERS),
        (YEAR, 1),
        (ROLLING12, 1),
    ):
        period = Period.current(type, today)
        for _ in range(count):
            periods.append(period)
            period = period.previous()
    return periods


def night_refresh(today) -> int:
    """Refresh every active indicator for every period of `night_periods`; values written.
    The periods share one memo of the sources' figures (see `selectors.compute`)."""
    from shegong.indicators.services import values_refresh

    memo: dict = {}
    return sum(values_refresh(period=p, memo=memo) for p in night_periods(today))


@task()
def indicators_refresh_task(reschedule: bool = False) -> int:
    from django.utils import timezone

    written = night_refresh(timezone.localdate())
    if reschedule:
        book_next(indicators_refresh_task, REFRESH_AT)
    return written


@task()
def values_fill_task(periods: list[str]) -> int:
    """The background count of periods a dashboard above the county level found missing from
    the cache (booked by `services.values_refresh_request`, newest first): every active
    indicator of each period, for every region, as the night job does; values written."""
    from shegong.indicators.periods import Period
    from shegong.indicators.services import values_refresh

    memo: dict = {}
    return sum(values_refresh(period=Period.parse(text), memo=memo) for text in periods)


REPORTS_AT = time(6, 30)


@task()
def monthly_reports_task(reschedule: bool = False) -> int:
    """Every day: on the first working day of a month, the previous month's report of every
    department that has not got it yet (a later run the same day writes only the missing); and
    the subscriptions' reports due that day (weekly: first working day of a week)."""
    from shegong.indicators.services import monthly_reports_generate, subscription_reports_generate

    written = monthly_reports_generate() + subscription_reports_generate()
    if reschedule:
        book_next(monthly_reports_task, REPORTS_AT)
    return written


DAILY = [(indicators_refresh_task, REFRESH_AT), (monthly_reports_task, REPORTS_AT)]
