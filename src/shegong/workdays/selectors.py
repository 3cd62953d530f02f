from __future__ import annotations

from shegong.workdays.models import CalendarDay, HolidaySchedule


def schedule_list():
    return HolidaySchedule.objects.order_by("-year")


def schedule_detail(year: int):
    schedule = HolidaySchedule.objects.filter(year=year).first()
    return schedule, list(CalendarDay.objects.filter(year=year).order_by("date"))


def deadline_settings():
    """The per-deadline day rules of petitions (shown beside the calendar they count on)."""
    from shegong.petitions.models import DeadlineSetting

    return list(DeadlineSetting.objects.order_by("order", "key"))
