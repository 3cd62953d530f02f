"""Report periods: a month, a quarter or a year, named by its first day."""

from __future__ import annotations

import calendar
from datetime import date

from shegong.reporting.models import PeriodType


def period_start_of(period_type: str, day: date) -> date:
    if period_type == PeriodType.YEARLY:
        return date(day.year, 1, 1)
    if period_type == PeriodType.QUARTERLY:
        return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    return date(day.year, day.month, 1)


def period_end_of(period_type: str, start: date) -> date:
    months = {PeriodType.YEARLY: 12, PeriodType.QUARTERLY: 3}.get(period_type, 1)
    month = start.month + months - 1
    year = start.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    return date(year, month, calendar.monthrange(year, month)[1])


def previous_periods(period_type: str, today: date, count: int = 12) -> list[date]:
    """The `count` periods that have ended by `today`, the latest first."""
    start = period_start_of(period_type, today)
    found = []
    for _ in range(count):
        start = period_start_of(period_type, date.fromordinal(start.toordinal() - 1))
        found.append(start)
    return found


def period_label(period_type: str, start: date) -> str:
    if period_type == PeriodType.YEARLY:
        return f"{start.year}"
    if period_type == PeriodType.QUARTERLY:
        return f"{start.year}Q{(start.month - 1) // 3 + 1}"
    return f"{start:%Y-%m}"


def parse_period(period_type: str, text: str) -> date | None:
    """ "2026-11" / "2026Q4" / "2026" / an ISO date → the period's first day (None: not a period)."""
    text = (text or "").strip()
    try:
        if len(text) == 10:
            day = date.fromisoformat(text)
        elif len(text) == 7 and text[4] == "-":
            day = date(int(text[:4]), int(text[5:]), 1)
        elif len(text) == 6 and text[4].upper() == "Q":
            day = date(int(text[:4]), 3 * (int(text[5]) - 1) + 1, 1)
        elif len(text) == 4:
            day = date(int(text), 1, 1)
        else:
            return None
    except ValueError:
        return None
    return period_start_of(period_type, day)
