"""Seed the official holiday schedules 2004–2026 from chinese-calendar."""

from django.db import migrations

NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}


def seed(apps, schema_editor):
    from chinese_calendar import constants

    HolidaySchedule = apps.get_model("workdays", "HolidaySchedule")
    CalendarDay = apps.get_model("workdays", "CalendarDay")
    loaded = set(HolidaySchedule.objects.values_list("year", flat=True))
    rows, years = [], set()
    for kind, table in (("holiday", constants.holidays), ("workday", constants.workdays)):
        for day, name in table.items():
            if day.year in loaded:
                continue
            years.add(day.year)
            rows.append(CalendarDay(date=day, year=day.year, kind=kind, name=NAMES.get(str(name), str(name))))
    CalendarDay.objects.bulk_create(rows, batch_size=500)
    HolidaySchedule.objects.bulk_create(
        [HolidaySchedule(year=y, source="chinese_calendar", notice="chinese-calendar") for y in sorted(years)]
    )


class Migration(migrations.Migration):
    dependencies = [("workdays", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
