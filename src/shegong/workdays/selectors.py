from __future__ import annotations

from shegong.workdays.models import CalendarDay, HolidaySchedule


def schedule_list():
    return HolidaySchedule.objects.order_by("-year")


def schedule_detail(year: int):
    schedule = HolidaySchedule.objects.filter(year=year).first()
    return schedule, list(CalendarDay.objects.filter(year=year).order_by("date"))


def deadline_settings():
    """The per-deadline day rules, when the petitions app provides them."""
    from django.apps import apps

    if not apps.is_installed("shegong.petitions"):
        return []
    try:
        model = apps.get_model("petitions", "DeadlineSetting")
    except LookupError:
        return []
    return list(model.objects.order_by("order", "key"))
