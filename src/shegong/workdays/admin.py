from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from shegong.workdays.models import CalendarDay, HolidaySchedule


@admin.register(HolidaySchedule)
class HolidayScheduleAdmin(SimpleHistoryAdmin):
    list_display = ("year", "source", "notice", "loaded_at")


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ("date", "kind", "name")
    list_filter = ("year", "kind")
