"""The deadline calculator against the official calendar (chinese-calendar) for 2025 and 2026."""

from datetime import date, timedelta

import chinese_calendar
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shegong.workdays.calendar import WorkCalendar
from shegong.workdays.models import DayRule
from shegong.workdays.services import parse_days, schedule_load

pytestmark = pytest.mark.django_db

# Around National Day 2025 and 2026, Spring Festival 2025 and 2026, and the years as a whole.
HOLIDAY_WINDOWS = [
    (date(2025, 1, 15), date(2025, 2, 15)),  # Spring Festival 2025, make-up 1-26, 2-8
    (date(2025, 9, 15), date(2025, 10, 20)),  # National Day 2025, make-up 9-28, 10-11
    (date(2026, 2, 1), date(2026, 3, 5)),  # Spring Festival 2026, make-up 2-14, 2-28
    (date(2026, 9, 10), date(2026, 10, 20)),  # National Day 2026, make-up 9-20, 10-10
    (date(2025, 1, 1), date(2026, 10, 31)),
]


@st.composite
def start_dates(draw):
    low, high = draw(st.sampled_from(HOLIDAY_WINDOWS))
    return low + timedelta(days=draw(st.integers(0, (high - low).days)))


@pytest.fixture(scope="module")
def calendar(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        return WorkCalendar.load()


def official_workday(day: date) -> bool:
    return chinese_calendar.is_workday(day)


SETTINGS = settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@SETTINGS
@given(start=start_dates(), days=st.integers(0, 60))
def test_calendar_days_end_on_the_next_official_working_day(calendar, start, days):
    result = calendar.add(start, days, DayRule.CALENDAR)
    raw = start + timedelta(days=days)  # the start day is not counted
    assert result.due >= raw
    assert official_workday(result.due)
    day = raw
    while day < result.due:  # everything skipped over is an official rest day
        assert not official_workday(day)
        day += timedelta(days=1)
    assert result.provisional is (result.due.year > 2026)


@SETTINGS
@given(start=start_dates(), days=st.integers(1, 40))
def test_working_days_count_only_official_working_days(calendar, start, days):
    result = calendar.add(start, days, DayRule.WORKING)
    assert official_workday(result.due)
    counted = sum(
        official_workday(start + timedelta(days=i)) for i in range(1, (result.due - start).days + 1)
    )
    assert counted == days
    assert result.provisional is (result.due.year > 2026)


@pytest.mark.parametrize(
    ("start", "days", "rule", "due"),
    [
        # 15 days from 2025-09-16 is 10-01, National Day: the period ends on 10-09.
        (date(2025, 9, 16), 15, DayRule.CALENDAR, date(2025, 10, 9)),
        # A make-up Sunday (2025-09-28) is a working day.
        (date(2025, 9, 26), 1, DayRule.WORKING, date(2025, 9, 28)),
        (date(2025, 9, 27), 1, DayRule.CALENDAR, date(2025, 9, 28)),
        # 5 working days from 2026-02-12 (Thu): 02-13, 02-14 (make-up Sat), 02-24, 02-25, 02-26.
        (date(2026, 2, 12), 5, DayRule.WORKING, date(2026, 2, 26)),
        # Spring Festival 2026 runs 02-15..02-23: a period ending 02-16 ends on 02-24.
        (date(2026, 2, 1), 15, DayRule.CALENDAR, date(2026, 2, 24)),
        # National Day 2026 (10-01..10-07): ends on 10-08; 10-10 (Sat) is a make-up working day.
        (date(2026, 9, 30), 3, DayRule.CALENDAR, date(2026, 10, 8)),
        (date(2026, 10, 8), 2, DayRule.WORKING, date(2026, 10, 10)),
    ],
)
def test_known_holiday_periods(calendar, start, days, rule, due):
    result = calendar.add(start, days, rule)
    assert result.due == due
    assert result.provisional is False


def test_a_2027_deadline_is_provisional_until_the_2027_schedule_is_loaded():
    before = WorkCalendar.load().add(date(2026, 12, 20), 15, DayRule.CALENDAR)
    # 2027-01-04 is a Monday: weekends only, but flagged.
    assert before.due == date(2027, 1, 4)
    assert before.provisional is True
    schedule_load(
        year=2027,
        holidays=parse_days("2027-01-01..2027-01-05 元旦", year=2027, field="holidays"),
        workdays=parse_days("2027-01-09 元旦", year=2027, field="workdays"),
    )
    after = WorkCalendar.load().add(date(2026, 12, 20), 15, DayRule.CALENDAR)
    assert after.due == date(2027, 1, 6)
    assert after.provisional is False
    # The Saturday make-up day counts as a working day.
    assert WorkCalendar.load().add(date(2027, 1, 8), 1, DayRule.WORKING).due == date(2027, 1, 9)


def test_parse_days_rejects_a_date_outside_the_year():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as exc:
        parse_days("2028-01-01 元旦", year=2027, field="holidays")
    assert "不在 2027 年内" in str(exc.value)
