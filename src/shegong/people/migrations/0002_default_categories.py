from django.db import migrations

CATEGORIES = [
    ("living_alone", "独居老人", True, False),
    ("empty_nest", "空巢老人", True, False),
    ("left_behind_elderly", "留守老人", True, False),
    ("disabled", "失能/重残", True, True),
    ("fp_special", "计生特殊家庭", True, False),
    ("left_behind_child", "留守儿童", True, False),
    ("unsupported_child", "事实无人抚养儿童", True, False),
    ("dibao", "低保", False, False),
    ("tekun", "特困", True, False),
    ("dibao_margin", "低保边缘", False, False),
]
CADENCE = [("high", 7), ("key", 30), ("general", 90)]


def forwards(apps, schema_editor):
    Category = apps.get_model("people", "Category")
    for order, (code, name, cared_for, has_level) in enumerate(CATEGORIES, start=1):
        Category.objects.get_or_create(
            code=code,
            defaults={"name": name, "cared_for": cared_for, "has_level": has_level, "order": order},
        )
    VisitCadence = apps.get_model("people", "VisitCadence")
    for level, days in CADENCE:
        VisitCadence.objects.get_or_create(
            province_code="", risk_level=level, defaults={"interval_days": days, "event_hours": 24}
        )


class Migration(migrations.Migration):
    dependencies = [("people", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
