"""Demo: the cached values of the last complete month, quarter, year and rolling year, and of
the eleven months before that month, so that the indicator pages and the dashboards (whose cards
and time series show twelve months) open from the cache on the demo data."""

from __future__ import annotations

from django.utils import timezone

UNSCOPED_READS = "Demo seeding runs as the system over every row."


def load(*, stdout) -> None:
    from shegong.indicators.periods import MONTH, TYPES, Period
    from shegong.indicators.selectors import periods_to
    from shegong.indicators.services import values_refresh

    today = timezone.localdate()
    for type in TYPES:
        written = values_refresh(period=Period.current(type, today))
        stdout.write(f"indicators: {written} values for {Period.current(type, today)}\n")
    history = periods_to(Period.current(MONTH, today))[:-1]
    written = sum(values_refresh(period=month) for month in history)
    stdout.write(f"indicators: {written} values for the {len(history)} months before\n")
