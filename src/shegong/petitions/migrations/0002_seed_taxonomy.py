"""Seed the category taxonomy, the statutory deadline settings and the routing table."""

from django.db import migrations

CATEGORIES = [
    ("family", "婚姻家庭", [("family.marriage", "婚姻纠纷"), ("family.support", "赡养抚养扶养"), ("family.inheritance", "继承纠纷")]),
    ("neighbour", "邻里纠纷", [("neighbour.noise", "噪音扰民"), ("neighbour.adjacent", "相邻通行采光排水")]),
    ("housing", "房屋宅基地", [("housing.homestead", "宅基地纠纷"), ("housing.rental", "房屋租赁"), ("housing.quality", "房屋质量")]),
    ("contract", "合同纠纷", [("contract.sale", "买卖合同"), ("contract.loan", "民间借贷")]),
    ("damages", "损害赔偿", [("damages.injury", "人身损害"), ("damages.property", "财产损害")]),
    ("labour", "劳动和欠薪", [("labour.wages", "拖欠工资"), ("labour.contract", "劳动合同"), ("labour.insurance", "社会保险")]),
    ("land", "征地拆迁", [("land.compensation", "征收补偿"), ("land.resettlement", "安置")]),
    ("property", "物业管理", [("property.fee", "物业收费"), ("property.service", "物业服务")]),
    ("traffic", "交通事故", [("traffic.compensation", "事故赔偿")]),
    ("medical", "医疗纠纷", [("medical.dispute", "医患纠纷")]),
    ("assistance", "社会救助", [("assistance.dibao", "最低生活保障"), ("assistance.temporary", "临时救助"), ("assistance.elderly", "养老服务")]),
    ("environment", "生态环境", [("environment.pollution", "污染"), ("environment.construction", "施工噪音扬尘")]),
    ("public", "公共服务", [("public.facilities", "市政设施"), ("public.sanitation", "环境卫生")]),
    ("other", "其他", [("other.other", "其他事项")]),
]

DEADLINES = [
    ("register", "登记转送（收到之日起）", 15, "calendar", 10),
    ("accept", "告知受理（收到交办之日起）", 15, "calendar", 20),
    ("objection", "异议（收到交办之日起）", 5, "working", 30),
    ("reply", "办理并出具处理意见书（受理之日起）", 60, "calendar", 40),
    ("extension", "延期上限（只可延长一次）", 30, "calendar", 50),
    ("review_request", "申请复查（收到处理意见书之日起）", 30, "calendar", 60),
    ("review_answer", "复查答复（收到申请之日起）", 30, "calendar", 70),
    ("rereview_request", "申请复核（收到复查意见之日起）", 30, "calendar", 80),
    ("rereview_answer", "复核答复（收到申请之日起，不含听证时间）", 30, "calendar", 90),
    ("mediation", "调解期限", 30, "calendar", 100),
    ("followup", "办结后回访", 7, "calendar", 110),
    ("reminder", "期限届满前提醒（天）", 3, "calendar", 120),
]

# category code, level, org kind, sector, statutory procedure hint
ROUTING = [
    ("labour", 3, "gov_department", "human_resources", "劳动争议可申请劳动人事争议仲裁"),
    ("assistance", 3, "gov_department", "civil_affairs", ""),
    ("housing", 3, "gov_department", "natural_resources", ""),
    ("housing.rental", 3, "gov_department", "housing", ""),
    ("housing.quality", 3, "gov_department", "housing", ""),
    ("land", 3, "gov_department", "natural_resources", "征收补偿决定可申请行政复议或提起行政诉讼"),
    ("property", 3, "gov_department", "housing", ""),
    ("environment", 3, "gov_department", "ecology", ""),
    ("traffic", 3, "gov_department", "public_security", "赔偿争议可向人民法院提起诉讼"),
    ("medical", 3, "gov_department", "health", "可申请医疗损害鉴定或提起诉讼"),
    ("public", 3, "gov_department", "housing", ""),
    ("family", 3, "mediation_committee", "", ""),
    ("neighbour", 3, "mediation_committee", "", ""),
    ("contract", 3, "mediation_committee", "", "合同纠纷可申请仲裁或提起诉讼"),
    ("damages", 3, "mediation_committee", "", "可向人民法院提起诉讼"),
    ("other", 3, "gov_department", "petition_bureau", ""),
    ("family", 4, "sw_station", "", ""),
    ("neighbour", 4, "sw_station", "", ""),
    ("neighbour", 5, "residents_committee", "", ""),
]


def seed(apps, schema_editor):
    Category = apps.get_model("petitions", "Category")
    DeadlineSetting = apps.get_model("petitions", "DeadlineSetting")
    RoutingRule = apps.get_model("petitions", "RoutingRule")
    for order, (code, name, children) in enumerate(CATEGORIES, start=1):
        top, _ = Category.objects.get_or_create(code=code, defaults={"name": name, "order": order * 10})
        for sub_order, (sub_code, sub_name) in enumerate(children, start=1):
            Category.objects.get_or_create(
                code=sub_code, defaults={"name": sub_name, "parent": top, "order": order * 10 + sub_order}
            )
    for key, label, days, rule, order in DEADLINES:
        DeadlineSetting.objects.get_or_create(
            key=key, defaults={"label": label, "days": days, "day_rule": rule, "order": order}
        )
    for code, level, kind, sector, hint in ROUTING:
        category = Category.objects.get(code=code)
        RoutingRule.objects.get_or_create(
            category=category, level=level,
            defaults={"org_kind": kind, "sector": sector, "statutory_procedure": hint},
        )


class Migration(migrations.Migration):
    dependencies = [("petitions", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
