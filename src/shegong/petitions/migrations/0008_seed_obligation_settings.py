"""Seed the new deadline settings (12345 hotline limits by urgency, the dissatisfied-rating
review) and fill the dated obligations of existing rows: the court-confirmation deadline of
each agreement, and the provisional flag of every due date in a year whose holiday schedule is
not loaded (the next schedule load recomputes them, workdays.obligations)."""

from datetime import date, timedelta

from django.db import migrations

SETTINGS = [
    ("hotline_critical", "12345 热线工单时限：特急（当日办结）", 0, "working", 130),
    ("hotline_urgent", "12345 热线工单时限：紧急", 3, "working", 140),
    ("hotline_normal", "12345 热线工单时限：一般", 13, "working", 150),
    ("rating_review", "不满意评价督导复核", 5, "working", 160),
]


def forwards(apps, schema_editor):
    DeadlineSetting = apps.get_model("petitions", "DeadlineSetting")
    for key, label, days, rule, order in SETTINGS:
        DeadlineSetting.objects.get_or_create(
            key=key, defaults={"label": label, "days": days, "day_rule": rule, "order": order}
        )
    HolidaySchedule = apps.get_model("workdays", "HolidaySchedule")
    CalendarDay = apps.get_model("workdays", "CalendarDay")
    years = set(HolidaySchedule.objects.values_list("year", flat=True))
    holidays = set(CalendarDay.objects.filter(kind="holiday").values_list("date", flat=True))
    workdays = set(CalendarDay.objects.filter(kind="workday").values_list("date", flat=True))

    def working(day):
        return day in workdays or (day not in holidays and day.weekday() < 5)

    # Agreements: 30 calendar days, the last day moved to the next working day (Art. 33).
    Agreement = apps.get_model("petitions", "MediationAgreement")
    for agreement in Agreement.objects.filter(confirmation_deadline__isnull=True).only("signed_on"):
        raw = due = agreement.signed_on + timedelta(days=30)
        while not working(due):
            due += timedelta(days=1)
        agreement.confirmation_deadline = due
        agreement.confirmation_deadline_provisional = not all(
            y in years for y in range(raw.year, due.year + 1)
        )
        agreement.save(
            update_fields=["confirmation_deadline", "confirmation_deadline_provisional"]
        )
    # Due dates after the last loaded year are provisional (set-based).
    first_unknown = date(max(years) + 1, 1, 1) if years else date(1900, 1, 1)
    Matter = apps.get_model("petitions", "Matter")
    Matter.objects.filter(objection_due__gte=first_unknown).update(objection_due_provisional=True)
    Matter.objects.filter(followup_due__gte=first_unknown).update(followup_due_provisional=True)
    apps.get_model("petitions", "Assignment").objects.filter(
        objection_due__gte=first_unknown
    ).update(objection_due_provisional=True)
    apps.get_model("petitions", "Mediation").objects.filter(due_date__gte=first_unknown).update(
        due_provisional=True
    )


class Migration(migrations.Migration):
    dependencies = [
        ("petitions", "0007_dated_obligations"),
        ("workdays", "0002_seed_chinese_calendar"),
    ]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
