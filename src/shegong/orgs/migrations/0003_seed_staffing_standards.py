"""The national default and Guangdong's staffing standard of township social work stations
(/work/shared/DOMAIN.md, "Township social work stations")."""

from django.db import migrations

STANDARDS = [
    {
        "region_code": "",
        "workers_per_station": 3,
        "funding_per_station": None,
        "document_title": "平台默认值（国家未规定社工站最低配备人数，暂沿用广东省标准）",
        "document_number": "",
        "note": "国家层面没有统一的最低配备人数；各省（区、市）可设定本地标准，"
        "未设定的地区按此默认值计算岗位缺口。",
    },
    {
        "region_code": "440000000000",
        "workers_per_station": 3,
        "funding_per_station": 150_000_00,
        "document_title": "广东省民政厅文件：乡镇（街道）社工站建设资金与人员配备",
        "document_number": "粤民函〔2017〕43号",
        "note": "每站每年 15 万元，配备 3 名社工；2021 年起“双百工程”覆盖全省乡镇（街道）"
        "社工站和村（社区）服务点。文件全称、印发日期和链接请省级管理员核对补充。",
    },
]


def seed(apps, schema_editor):
    from django.utils import timezone

    StaffingStandard = apps.get_model("orgs", "StaffingStandard")
    History = apps.get_model("orgs", "HistoricalStaffingStandard")
    now = timezone.now()
    for row in STANDARDS:
        standard, created = StaffingStandard.objects.get_or_create(
            region_code=row["region_code"], defaults=row
        )
        if created:  # the first entry of its history, so that a later change shows old and new
            History.objects.create(
                id=standard.pk,
                created_at=standard.created_at,
                updated_at=standard.updated_at,
                history_date=now,
                history_type="+",
                **row,
            )


def unseed(apps, schema_editor):
    StaffingStandard = apps.get_model("orgs", "StaffingStandard")
    StaffingStandard.objects.filter(
        region_code__in=[row["region_code"] for row in STANDARDS]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("orgs", "0002_staffing_standard")]

    operations = [migrations.RunPython(seed, unseed)]
