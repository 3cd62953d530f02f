"""The period of an indicator value: a month, a quarter, a year or the rolling twelve months
ending with a month. Written as text the same way in pages, the API and the cache:
`2026-11`, `2026-Q4`, `2026`, `R2026-11`. An ISO week (`2026-W49`) is the period of a weekly
subscription's report: computed when the report is written, never cached (not in `TYPES`)."""

from __future__ import annotations

import re
from calendar import monthrange
from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MONTH, QUARTER, YEAR, ROLLING12 = "month", "quarter", "year", "rolling12"
TYPES = (MONTH, QUARTER, YEAR, ROLLING12)
WEEK = "week"

_PATTERNS = (
    (MONTH, re.compile(r"^(\d{4})-(\d{2})$")),
    (QUARTER, re.compile(r"^(\d{4})-Q([1-4])$")),
    (YEAR, re.compile(r"^(\d{4})$")),
    (ROLLING12, re.compile(r"^R(\d{4})-(\d{2})$")),
)


def _month_end(year: int, month: int) -> date:
    return date(year, month, monthrange(year, month)[1])


def _shift(year: int, month: int, months: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + months
    return index // 12, index % 12 + 1


@dataclass(frozen=True)
class Period:
    type: str
    start: date
    end: date

    @classmethod
    def of(cls, type: str, year: int, number: int = 1) -> Period:
        """`number`: the month (month, rolling12: the last month) or the quarter."""
        if type == MONTH:
            return cls(MONTH, date(year, number, 1), _month_end(year, number))
        if type == QUARTER:
            first = 3 * (number - 1) + 1
            return cls(QUARTER, date(year, first, 1), _month_end(year, first + 2))
        if type == YEAR:
            return cls(YEAR, date(year, 1, 1), date(year, 12, 31))
        if type == ROLLING12:
            y, m = _shift(year, number, -11)
            return cls(ROLLING12, date(y, m, 1), _month_end(year, number))
        if type == WEEK:
            monday = date.fromisocalendar(year, number, 1)
            return cls(WEEK, monday, monday + timedelta(days=6))
        raise ValueError(type)

    @classmethod
    def parse(cls, text: str, *, field: str = "period") -> Period:
        value = (text or "").strip()
        for type, pattern in _PATTERNS:
            found = pattern.match(value)
            if found:
                year = int(found.group(1))
                number = int(found.group(2)) if found.lastindex and found.lastindex > 1 else 1
                if 2000 <= year <= 2100 and 1 <= number <= 12:
                    return cls.of(type, year, number)
        raise ValidationError(
            {
                field: ValidationError(
                    _(
                        "期间应写作 2026-11（月）、2026-Q4（季度）、2026（年）或 R2026-11（滚动12个月）：%(v)s"
                    )
                    % {"v": value[:20]},
                    code="format",
                )
            }
        )

    @classmethod
    def current(cls, type: str, today: date) -> Period:
        """The last complete period of `type` before `today`."""
        if type == WEEK:
            year, week, _day = (today - timedelta(days=7)).isocalendar()
            return cls.of(WEEK, year, week)
        y, m = _shift(today.year, today.month, -1)
        if type in (MONTH, ROLLING12):
            return cls.of(type, y, m)
        if type == QUARTER:
            q = (today.month - 1) // 3
            return cls.of(QUARTER, today.year, q) if q else cls.of(QUARTER, today.year - 1, 4)
        return cls.of(YEAR, today.year - 1)

    @property
    def text(self) -> str:
        if self.type == MONTH:
            return f"{self.start:%Y-%m}"
        if self.type == QUARTER:
            return f"{self.start.year}-Q{(self.start.month - 1) // 3 + 1}"
        if self.type == YEAR:
            return str(self.start.year)
        if self.type == WEEK:
            year, week, _day = self.start.isocalendar()
            return f"{year}-W{week:02d}"
        return f"R{self.end:%Y-%m}"

    def __str__(self) -> str:
        return self.text

    def previous(self) -> Period:
        if self.type == WEEK:
            year, week, _day = (self.start - timedelta(days=7)).isocalendar()
            return Period.of(WEEK, year, week)
        if self.type == YEAR:
            return Period.of(YEAR, self.start.year - 1)
        if self.type == QUARTER:
            q = (self.start.month - 1) // 3 + 1
            return Period.of(
                QUARTER, *((self.start.year, q - 1) if q > 1 else (self.start.year - 1, 4))
            )
        y, m = _shift(self.end.year, self.end.month, -1 if self.type == MONTH else -12)
        return Period.of(self.type, y, m)
