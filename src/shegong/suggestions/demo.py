"""Demo suggestions: a few hundred residents' suggestions in 天河区 and 英德市 over the last four
months, in every topic, many said several times (near-duplicates that group together), a burst
about parking in one 天河 street this week (a rising topic), some answered and published.

Each is submitted through the portal's own service (segmentation, topic, cluster); the dates are
spread by `submitted_on`."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from shegong.accounts.models import Role
from shegong.core.demo_utils import chinese_name, mobile, rng
from shegong.regions.models import Region
from shegong.suggestions import services
from shegong.suggestions.models import Suggestion

UNSCOPED_READS = "Demo seeding runs as the system over every row."
COUNTIES = ("440106000000", "441881000000")  # 天河区, 英德市
DAYS = 120
# (topic, what is asked): each said two to eight times, in slightly different words.
REQUESTS = [
    ("elderly", "希望开办长者饭堂，老人每天吃饭很不方便"),
    ("elderly", "日间照料中心下午四点就关门，开放时间太短，希望延长"),
    ("elderly", "独居老人希望社工定期上门探访，防止出意外"),
    ("elderly", "想给家里老人申请适老化改造，不知道去哪里办"),
    ("children", "双职工家庭孩子放学后没人照看，希望开设四点半课堂"),
    ("children", "留守儿童暑假没人看管，希望组织儿童关爱活动"),
    ("children", "儿童游乐设施老化生锈，小朋友玩耍有安全隐患"),
    ("disability", "服务中心门口没有无障碍坡道，坐轮椅的残疾人进不去"),
    ("disability", "盲道被电动车和杂物占用，视障人士出行危险"),
    ("environment", "垃圾清运不及时，垃圾桶满了溢出来，臭味很大"),
    ("environment", "路灯坏了两个月没人修，晚上出行很危险"),
    ("environment", "餐馆油烟和噪音扰民，晚上十二点还很吵"),
    ("environment", "一下大雨路口就积水，下水道排水不畅，希望疏通"),
    ("parking", "车位太少，晚上停车难，很多车乱停占用消防通道"),
    ("parking", "希望增设电动车充电桩，现在大家飞线充电很危险"),
    ("property", "老旧小区没有电梯，希望支持加装电梯，老人上下楼困难"),
    ("property", "物业服务差还要涨物业费，业主意见很大"),
    ("employment", "希望多举办招聘会，提供适合中年人的就业岗位"),
    ("employment", "失业人员希望参加免费的技能培训，学点手艺再就业"),
    ("medical", "社区卫生服务中心看病排队太久，挂号要等一上午"),
    ("medical", "家庭医生签约后从来没有联系过，希望家庭医生能上门"),
    ("volunteering", "志愿服务时长一直没有录入系统，志愿者很有意见"),
    ("efficiency", "开一个证明要来回跑好几趟，窗口对材料说不清楚"),
    ("efficiency", "办事大厅窗口太少，排队两个小时才办上，效率太低"),
    ("assistance", "低保申请审核时间太长，困难群众等了三个月还没结果"),
    ("culture", "健身器材坏了很久没人修，希望更换新的健身器材"),
    ("culture", "图书室周末不开放，上班族没时间去看书"),
]
OPENINGS = ["", "希望", "建议", "反映一下：", "我们这里", "麻烦看看，"]
CLOSINGS = ["", "。", "，谢谢！", "，希望尽快解决。", "，盼回复。", "，请有关部门重视。"]
ANSWERS = {
    "elderly": "已纳入街道长者服务计划，社工站将于下月起增加助餐点和上门探访。",
    "children": "社工站已联合学校开设四点半课堂，周一至周五开放，可到社工站报名。",
    "disability": "已协调有关单位整改无障碍设施，残联将跟进康复服务需求。",
    "environment": "已交环卫和市政部门处理，清运频次已增加，坏灯已修复。",
    "parking": "已会同物业和交警划设临时车位，充电桩建设已列入计划。",
    "property": "已约谈物业公司，加装电梯按政策由业主申请，街道提供指导。",
    "employment": "人社部门每月举办一次招聘会，免费技能培训可在就业服务站报名。",
    "medical": "卫生服务中心已开通分时段预约，家庭医生团队将主动联系签约居民。",
    "volunteering": "服务时长已核对补录，今后活动结束后三个工作日内录入。",
    "efficiency": "已梳理办事材料清单并公开，推行一窗通办，减少群众跑腿。",
    "assistance": "已督促加快审核，符合条件的将按时发放，困难群众可申请临时救助。",
    "culture": "已安排更换健身器材，图书室周末开放时间已调整。",
}


def _places(county: str) -> list[str]:
    low, high = county[:6] + "000000", county[:6] + "999999"
    villages = list(
        Region.objects.filter(code__gt=low, code__lte=high, level=5)
        .order_by("code")
        .values_list("code", flat=True)[:40]
    )
    return (
        villages
        or list(
            Region.objects.filter(code__gt=low, code__lte=high, level=4)
            .order_by("code")
            .values_list("code", flat=True)[:20]
        )
        or [county]
    )


def _actor(county: str):
    from shegong.directives.demo import _as, _dept

    dept = _dept(county)
    return _as(dept, Role.DEPT_LEADER) if dept is not None else None


@transaction.atomic
def load(*, stdout) -> None:
    if Suggestion.objects.unscoped(reason=UNSCOPED_READS).in_subtree(COUNTIES[0][:6]).exists():
        return
    r = rng("suggestions")
    today = timezone.localdate()
    made: list[Suggestion] = []
    planned = []
    for county in COUNTIES:
        places = _places(county)
        for topic, request in REQUESTS:
            place = r.choice(places)
            for _i in range(r.randint(2, 8)):
                consent = r.random() < 0.3
                planned.append(
                    {
                        "region_code": place if r.random() < 0.8 else r.choice(places),
                        "text": r.choice(OPENINGS) + request + r.choice(CLOSINGS),
                        "topic": topic if r.random() < 0.4 else "",
                        "name": chinese_name(r) if consent else "",
                        "contact": mobile(r) if consent else "",
                        "contact_consent": consent,
                        "submitted_on": today - timedelta(days=r.randint(8, DAYS)),
                    }
                )
    for data in sorted(planned, key=lambda d: d["submitted_on"]):  # as they arrive
        made.append(services.suggestion_submit(**data))
    # This week's burst: parking in one 天河 street (the rising topic alert).
    street = _places(COUNTIES[0])[0]
    for i in range(6):
        made.append(
            services.suggestion_submit(
                region_code=street,
                text=r.choice(OPENINGS) + REQUESTS[13][1] + r.choice(CLOSINGS),
                submitted_on=today - timedelta(days=i % 5),
            )
        )
    answered = published = 0
    for county in COUNTIES:
        actor = _actor(county)
        if actor is None:
            continue
        heads = [s for s in made if s.county_code == county and s.cluster_id == s.pk]
        for n, head in enumerate(heads):
            if n % 3 == 2:
                continue  # a third still waits for an answer
            services.suggestion_answer(
                suggestion=head,
                acting_user=actor,
                answer=ANSWERS[head.topic or "efficiency"],
                whole_cluster=True,
            )
            answered += 1
            if n % 3 == 0:
                head.refresh_from_db()
                services.suggestion_publish(suggestion=head, acting_user=actor, whole_cluster=True)
                published += 1
    stdout.write(
        f"suggestions: {len(made)} suggestions, {answered} groups answered, {published} published"
    )
