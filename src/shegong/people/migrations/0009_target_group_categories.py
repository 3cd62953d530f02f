"""The target groups named by the care-visit guidance (民政部等九部门《关于开展特殊困难老年人
探访关爱服务的指导意见》, 2022: 独居、空巢、留守、失能、重残、计划生育特殊家庭老年人) and by the assistance
rules (残疾人两项补贴, 困境儿童/留守儿童关爱保护, 低保, 特困供养, 低保边缘), with stable codes.

Codes already seeded by 0002 keep their code; their name becomes the full name only where it is
still the name 0002 gave it (a name changed by a department stays). `disabled` (0002: 失能/重残)
becomes 残疾人, with 重度残疾人 and 失能老人 as their own groups."""

from django.db import migrations

# code: (name, name given by 0002 or None, cared_for, has_level, order)
GROUPS = {
    "living_alone": ("独居老人", "独居老人", True, False, 1),
    "empty_nest": ("空巢老人", "空巢老人", True, False, 2),
    "left_behind_elderly": ("留守老人", "留守老人", True, False, 3),
    "incapacitated": ("失能老人", None, True, False, 4),
    "disabled": ("残疾人", "失能/重残", True, True, 5),
    "severely_disabled": ("重度残疾人", None, True, True, 6),
    "fp_special": ("计划生育特殊家庭", "计生特殊家庭", True, False, 7),
    "left_behind_child": ("留守儿童", "留守儿童", True, False, 8),
    "children_in_difficulty": ("困境儿童", None, True, False, 9),
    "unsupported_child": ("事实无人抚养儿童", "事实无人抚养儿童", True, False, 10),
    "dibao": ("低保家庭", "低保", False, False, 11),
    "tekun": ("特困供养人员", "特困", True, False, 12),
    "dibao_margin": ("低保边缘家庭", "低保边缘", False, False, 13),
}


def seed(apps, schema_editor):
    Category = apps.get_model("people", "Category")
    existing = {c.code: c for c in Category.objects.all()}
    for code, (name, seeded_name, cared_for, has_level, order) in GROUPS.items():
        category = existing.get(code)
        if category is None:
            Category.objects.create(
                code=code, name=name, cared_for=cared_for, has_level=has_level, order=order
            )
        elif seeded_name is not None and category.name == seeded_name:
            category.name = name
            category.order = order
            category.save(update_fields=["name", "order"])


def unseed(apps, schema_editor):
    Category = apps.get_model("people", "Category")
    for code, (name, seeded_name, *_rest) in GROUPS.items():
        if seeded_name is None:
            Category.objects.filter(code=code, residents__isnull=True).delete()
        elif name != seeded_name:
            Category.objects.filter(code=code, name=name).update(name=seeded_name)


class Migration(migrations.Migration):
    dependencies = [("people", "0008_category_history")]
    operations = [migrations.RunPython(seed, unseed)]
