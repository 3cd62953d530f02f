"""Demo: the cached values the night job writes (the last twelve months, four quarters, the
last year and rolling year), so that the indicator pages and dashboards open from the cache on
the demo data with a year of history."""

from __future__ import annotations

from django.utils import timezone

UNSCOPED_READS = "Demo seeding runs as the system over every row."


def load(*, stdout) -> None:
    from shegong.indicators.tasks import night_refresh

    written = night_refresh(timezone.localdate())
    stdout.write(f"indicators: {written} cached values (12 months, 4 quarters, year, rolling)\n")
