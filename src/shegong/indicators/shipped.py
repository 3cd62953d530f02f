"""The indicators the platform ships, owned by the nation (migration 0002 writes them; a later
migration that changes one says so). Each names its sources (`core.registry.indicator_sources`),
and tests/indicators/test_shipped.py computes each on a small fixture by hand."""

ALL = ("month", "quarter", "year", "rolling12")
LONG = ("quarter", "year", "rolling12")

GUIDANCE = "民政部等九部门《关于开展特殊困难老年人探访关爱服务的指导意见》（民发〔2022〕57号）"
PETITIONS = "《信访工作条例》（2022）第三十二条、第三十五条：受理、答复与办理期限，满意度评价"
VOLUNTEERS = "《志愿服务条例》（2017）第十九条：志愿服务记录与时长"
STATIONS = "乡镇（街道）社会工作站建设标准（省级文件，见 orgs.StaffingStandard）"
FUNDS = "分配方案与资金台账（funds）；《慈善法》第五十四条：捐赠财产的使用"
CARE = "《关于加强困境儿童保障工作的意见》、低保与特困供养政策：在册服务对象"

# code, name_zh, name_en, numerator, denominator, factor, periods, direction,
# target, red, amber, definition, basis
SHIPPED = [
    ("visit_on_time_rate", "探访按期完成率", "Visits made on time",
     "visits_on_time", "visits_due", 100, ALL, "higher", 100, 80, 95,
     "本期应探访次数中，在截止日前完成的比例。", GUIDANCE),
    ("elderly_visit_rate", "特殊困难老年人月探访率", "Monthly visit rate of residents under visiting care",
     "residents_visited", "visit_plans", 100, ALL, "higher", 100, 80, 95,
     "本期至少探访一次的服务对象占有效探访计划人数的比例。", GUIDANCE),
    ("visits_per_plan", "人均探访次数", "Visits per resident under visiting care",
     "visits_done", "visit_plans", 1, ALL, "higher", None, None, None,
     "本期探访次数除以有效探访计划人数。", GUIDANCE),
    ("visit_plan_coverage", "探访关爱对象建档率", "Residents of the target groups with a visit plan",
     "visit_plans", "residents_cared_for", 100, ALL, "higher", 100, 90, 98,
     "有效探访计划人数占探访关爱类别在册对象的比例。", GUIDANCE),
    ("low_income_share", "低收入对象占比", "Share of low-income residents",
     "residents_dibao + residents_dibao_margin", "residents_active", 100, ALL, "lower", None, None, None,
     "低保家庭与低保边缘家庭成员占在册服务对象的比例。", CARE),
    ("elderly_alone", "独居、空巢、留守老人数", "Elderly living alone, in empty nests or left behind",
     "residents_living_alone + residents_empty_nest + residents_left_behind_elderly", "", 1, ALL,
     "higher", None, None, None, "期末在册的独居、空巢、留守老年人人数（计数）。", GUIDANCE),
    ("children_in_care", "留守与困境儿童数", "Left-behind children and children in difficulty",
     "residents_left_behind_child + residents_children_in_difficulty", "", 1, ALL, "higher",
     None, None, None, "期末在册的留守儿童与困境儿童人数（计数）。", CARE),
    ("disabled_per_10k", "重度残疾人每万名服务对象", "Severely disabled per 10,000 residents",
     "residents_severely_disabled", "residents_active", 10000, ALL, "lower", None, None, None,
     "重度残疾人占在册服务对象的万分比。", CARE),
    ("matters_closed_on_time_rate", "信访事项按期办结率", "Matters closed within the deadline",
     "matters_closed_on_time", "matters_closed", 100, ALL, "higher", 100, 90, 97,
     "本期办结的信访事项中，在办理期限内办结的比例。", PETITIONS),
    ("matters_replied_in_time_rate", "信访事项法定期限内答复率",
     "Matters replied to within the statutory period",
     "matters_replied_on_time", "matters_replied", 100, ALL, "higher", 100, 90, 97,
     "本期答复的信访事项中，在法定期限内答复的比例。", PETITIONS),
    ("satisfaction_rate", "群众满意率", "Satisfaction rate",
     "matters_rated_satisfied", "matters_rated", 100, ALL, "higher", 90, 70, 85,
     "本期参与评价的信访事项中，评价“满意”的比例。", PETITIONS),
    ("satisfaction_basic_rate", "满意与基本满意率", "Satisfied or basically satisfied",
     "matters_rated_satisfied + matters_rated_basic", "matters_rated", 100, ALL, "higher",
     95, 80, 90, "本期参与评价的信访事项中，评价“满意”或“基本满意”的比例。", PETITIONS),
    ("repeat_petition_rate", "重复信访率", "Repeat-petition rate",
     "matters_repeat", "matters_received", 100, ALL, "lower", 5, 15, 10,
     "本期受理的信访事项中，重复件的比例。", PETITIONS),
    ("matters_closure_rate", "信访事项办结率", "Matters closed per matter received",
     "matters_closed", "matters_received", 100, ALL, "higher", None, 70, 90,
     "本期办结的信访事项数占本期受理数的比例。", PETITIONS),
    ("matters_overdue_rate", "信访事项超期率", "Matters overdue per matter received",
     "matters_overdue", "matters_received", 100, ALL, "lower", 0, 10, 5,
     "本期超期的信访事项数占本期受理数的比例。", PETITIONS),
    ("volunteer_hours_per_volunteer", "人均志愿服务时长", "Volunteer hours per registered volunteer",
     "volunteer_hours", "volunteers_registered", 1, ALL, "higher", None, None, None,
     "本期已确认的志愿服务时长（小时）除以期末注册志愿者人数。", VOLUNTEERS),
    ("active_volunteer_rate", "志愿者参与率", "Registered volunteers who served",
     "volunteers_serving", "volunteers_registered", 100, ALL, "higher", None, 20, 40,
     "本期有已确认服务记录的志愿者占注册志愿者的比例。", VOLUNTEERS),
    ("stations_staffed_rate", "社工站配备达标率", "Stations staffed to standard",
     "stations_staffed", "stations", 100, ALL, "higher", 100, 60, 85,
     "在岗社工人数达到所在地配备标准的社工站占社工站总数的比例。", STATIONS),
    ("workers_per_station", "站均在岗社工", "In-post social workers per station",
     "station_workers", "stations", 1, ALL, "higher", None, None, None,
     "社工站在岗社工人数除以社工站数。", STATIONS),
    ("funds_disbursed_rate", "资金拨付率", "Funds disbursed as share of allocated",
     "funds_disbursed", "funds_allocated", 100, LONG, "higher", 100, 60, 85,
     "本期年度分配方案已拨付金额占已批准分配金额的比例。", FUNDS),
    ("funds_confirmed_rate", "资金到账确认率", "Disbursed funds confirmed received",
     "funds_confirmed", "funds_disbursed", 100, LONG, "higher", 100, 70, 90,
     "已确认到账金额占已拨付金额的比例。", FUNDS),
    ("donations_used_rate", "捐赠使用率", "Donations used as share of received",
     "donations_used", "donations_received", 100, LONG, "higher", None, 50, 70,
     "本期使用的捐赠金额占本期接收捐赠金额的比例。", FUNDS),
    ("case_task_on_time_rate", "个案任务按期完成率", "Case tasks done by their date",
     "case_tasks_on_time", "case_tasks_due", 100, ALL, "higher", 100, 80, 95,
     "本期到期的个案任务中，按期完成的比例。", "个案管理服务规范（cases）"),
    ("case_closure_rate", "个案结案率", "Cases closed per case opened",
     "cases_closed", "cases_opened", 100, LONG, "higher", None, None, None,
     "本期结案数占本期接案数的比例。", "个案管理服务规范（cases）"),
]  # fmt: skip


def install(Indicator) -> int:
    """Write the shipped indicators (the model class given by a migration or the app)."""
    for order, row in enumerate(SHIPPED, start=1):
        (code, name_zh, name_en, num, den, factor, periods, direction,
         target, red, amber, definition, basis) = row  # fmt: skip
        Indicator.objects.update_or_create(
            code=code,
            defaults={
                "name_zh": name_zh, "name_en": name_en, "numerator": num, "denominator": den,
                "factor": factor, "period_types": ",".join(periods), "direction": direction,
                "target": target, "red": red, "amber": amber, "definition": definition,
                "basis": basis, "owner_prefix": "", "is_shipped": True, "is_active": True,
                "order": order,
            },
        )  # fmt: skip
    return len(SHIPPED)
