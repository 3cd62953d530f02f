"""Demo: the cached values of the last complete month, quarter, year and rolling year, so that
the indicator pages open from the cache on the demo data."""

from __future__ import annotations

from django.utils import timezone

UNSCOPED_READS = "Demo seeding runs as the system over every row."


def load(*, stdout) -> None:
    from shegong.indicators.periods import TYPES, Period
    from shegong.indicators.services import values_refresh

    today = timezone.localdate()
    for type in TYPES:
        written = values_refresh(period=Period.current(type, today))
        stdout.write(f"indicators: {written} values for {Period.current(type, today)}\n")
