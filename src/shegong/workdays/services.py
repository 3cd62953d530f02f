"""Loading holiday schedules: seeded from chinese-calendar, or entered by an administrator."""

from __future__ import annotations

import re
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from shegong.workdays.calendar import WorkCalendar
from shegong.workdays.models import CalendarDay, HolidaySchedule
from shegong.workdays.signals import schedule_loaded

SEED_YEARS = range(2004, 2027)  # the years chinese-calendar 1.11 knows
_LINE = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:\s*(?:\.\.|~|～|至)\s*(\d{4}-\d{2}-\d{2}))?\s*(.*)$")


def parse_days(text: str, *, year: int, field: str) -> dict[date, str]:
    """Lines of `YYYY-MM-DD [name]` or `YYYY-MM-DD..YYYY-MM-DD [name]` → {date: name}."""
    days: dict[date, str] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        match = _LINE.match(line)
        try:
            if match is None:
                raise ValueError
            first = date.fromisoformat(match.group(1))
            last = date.fromisoformat(match.group(2)) if match.group(2) else first
        except ValueError:
            raise ValidationError(
                {field: _("第 %(n)d 行无法识别：%(line)s") % {"n": number, "line": line}}
            ) from None
        if last < first or (last - first).days > 31:
            raise ValidationError({field: _("第 %(n)d 行的日期范围不正确。") % {"n": number}})
        if first.year != year or last.year != year:
            raise ValidationError(
                {field: _("第 %(n)d 行的日期不在 %(y)d 年内。") % {"n": number, "y": year}}
            )
        day = first
        while day <= last:
            days[day] = match.group(3).strip()
            day += timedelta(days=1)
    return days


@transaction.atomic
def schedule_load(
    *,
    year: int,
    holidays: dict[date, str],
    workdays: dict[date, str],
    source: str = HolidaySchedule.Source.ADMIN,
    notice: str = "",
    acting_user=None,
    notify: bool = True,
) -> HolidaySchedule:
    """Store (or replace) one year's holidays and make-up working days, then let other apps
    recompute deadlines that were provisional for that year."""
    if not 2000 <= year <= 2100:
        raise ValidationError({"year": _("年份应在 2000–2100 之间。")})
    both = set(holidays) & set(workdays)
    if both:
        raise ValidationError(
            {"workdays": _("%(d)s 不能既是假日又是调休上班日。") % {"d": min(both).isoformat()}}
        )
    if not holidays:
        raise ValidationError({"holidays": _("请至少录入一个法定节假日。")})
    CalendarDay.objects.filter(year=year).delete()
    CalendarDay.objects.bulk_create(
        [
            CalendarDay(date=d, year=year, kind=CalendarDay.Kind.HOLIDAY, name=n)
            for d, n in sorted(holidays.items())
        ]
        + [
            CalendarDay(date=d, year=year, kind=CalendarDay.Kind.WORKDAY, name=n)
            for d, n in sorted(workdays.items())
        ]
    )
    schedule = HolidaySchedule(year=year, source=source, notice=notice)
    schedule._history_user = acting_user
    schedule.save()
    if notify:
        schedule_loaded.send(sender=HolidaySchedule, year=year, calendar=WorkCalendar.load())
    return schedule


def seed_from_chinese_calendar(*, years=SEED_YEARS, notify: bool = False) -> list[int]:
    """Load the years chinese-calendar knows that are not loaded yet (never overwrites)."""
    from chinese_calendar import constants

    names = {
        "New Year's Day": "元旦",
        "Spring Festival": "春节",
        "Tomb-sweeping Day": "清明节",
        "Labour Day": "劳动节",
        "Dragon Boat Festival": "端午节",
        "National Day": "国庆节",
        "Mid-autumn Festival": "中秋节",
        "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
    }
    loaded = set(HolidaySchedule.objects.values_list("year", flat=True))
    done = []
    for year in years:
        if year in loaded:
            continue
        holidays = {
            d: names.get(str(n), str(n)) for d, n in constants.holidays.items() if d.year == year
        }
        workdays = {
            d: names.get(str(n), str(n)) for d, n in constants.workdays.items() if d.year == year
        }
        if not holidays:
            continue
        schedule_load(
            year=year,
            holidays=holidays,
            workdays=workdays,
            source=HolidaySchedule.Source.SEEDED,
            notice="chinese-calendar",
            notify=notify,
        )
        done.append(year)
    return done
