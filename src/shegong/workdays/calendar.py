"""The deadline calculator on the official working-day calendar.

Rules (Civil Code Arts. 201–203): the start day is not counted; for a period in calendar days, a
period whose last day is not a working day (weekend or public holiday) ends on the next working
day; for a period in working days, only working days are counted. Make-up working days (调休上班)
are working days even on a weekend.

A year whose holiday schedule is not loaded is counted with weekends only, and every result that
depends on such a year is `provisional` — never silently wrong.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from shegong.workdays.models import DayRule

MAX_SPAN_DAYS = 3 * 366  # a safety stop for working-day counts


@dataclass(frozen=True)
class Deadline:
    due: date
    provisional: bool


class WorkCalendar:
    """An in-memory view of the calendar: exceptions by date and the set of loaded years."""

    def __init__(self, *, holidays: set[date], workdays: set[date], years: set[int]):
        self.holidays = holidays
        self.workdays = workdays
        self.years = years

    @classmethod
    def load(cls) -> WorkCalendar:
        from shegong.workdays.models import CalendarDay, HolidaySchedule

        holidays: set[date] = set()
        workdays: set[date] = set()
        for day, kind in CalendarDay.objects.values_list("date", "kind"):
            (holidays if kind == CalendarDay.Kind.HOLIDAY else workdays).add(day)
        years = set(HolidaySchedule.objects.values_list("year", flat=True))
        return cls(holidays=holidays, workdays=workdays, years=years)

    def is_known(self, day: date) -> bool:
        return day.year in self.years

    def is_working_day(self, day: date) -> bool:
        if day in self.workdays:
            return True
        if day in self.holidays:
            return False
        return day.weekday() < 5

    def next_working_day(self, day: date) -> date:
        """`day` itself when it is a working day, otherwise the next working day."""
        while not self.is_working_day(day):
            day += timedelta(days=1)
        return day

    def _span_known(self, first: date, last: date) -> bool:
        return all(y in self.years for y in range(first.year, last.year + 1))

    def add(self, start: date, days: int, rule: str = DayRule.CALENDAR) -> Deadline:
        """The last day of a period of `days` days starting on `start` (start day not counted)."""
        if days < 0:
            raise ValueError("days must not be negative")
        if rule == DayRule.WORKING:
            day, counted = start, 0
            while counted < days:
                day += timedelta(days=1)
                if self.is_working_day(day):
                    counted += 1
                if (day - start).days > MAX_SPAN_DAYS:
                    raise ValueError("period too long")
            first = start + timedelta(days=1) if days else start
            return Deadline(due=day, provisional=not self._span_known(first, day))
        raw = start + timedelta(days=days)
        due = self.next_working_day(raw)
        return Deadline(due=due, provisional=not self._span_known(raw, due))

    def working_days_between(self, start: date, end: date) -> int:
        """Working days after `start` up to and including `end` (0 when end <= start)."""
        n, day = 0, start
        while day < end:
            day += timedelta(days=1)
            if self.is_working_day(day):
                n += 1
        return n


_memo: dict[tuple, WorkCalendar] = {}


def current() -> WorkCalendar:
    """The calendar as stored now. One small query checks whether any schedule changed since
    this process last read it; the few hundred exception days are read only then."""
    from django.db.models import Count, Max

    from shegong.workdays.models import HolidaySchedule

    version = tuple(
        HolidaySchedule.objects.aggregate(n=Count("year"), at=Max("loaded_at")).values()
    )
    found = _memo.get(version)
    if found is None:
        _memo.clear()
        found = _memo[version] = WorkCalendar.load()
    return found


def deadline(start: date, days: int, rule: str = DayRule.CALENDAR) -> Deadline:
    return current().add(start, days, rule)
