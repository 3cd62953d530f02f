"""Demo matters in 天河区 and 英德市: every channel, category spread, states from just
registered to rated, some overdue, a repeat, a supervision, and a mediation with an agreement.

Deterministic (seeded) and idempotent: a matter is created only if no matter with its title
exists in that county; nothing a person entered is touched. Dates are relative to today.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from shegong.accounts.membership_services import membership_ensure, user_create
from shegong.accounts.models import Membership, Role, User
from shegong.core.demo_utils import DEMO_PASSWORD, chinese_name, mobile, rng
from shegong.orgs.models import Kind as OrgKind
from shegong.orgs.models import Organisation
from shegong.petitions import deadlines, services
from shegong.petitions.models import Category, Matter
from shegong.regions.models import Region

# Every read of a scoped model in this module may see every jurisdiction (declared, listed
# by tests/core/test_unscoped_reads.py):
UNSCOPED_READS = (
    "Seeds the demo data as the system (make demo), across the jurisdictions it creates; "
    "it answers no user's request."
)

COUNTIES = {"440106": "tianhe", "441881": "yingde"}

# Demo accounts added by this loader: username → (full name, county, org kind, org name suffix, role)
ACCOUNTS = {
    "tianhe_hr": (
        "林人社",
        "440106",
        OrgKind.GOVERNMENT_DEPARTMENT,
        "人力资源和社会保障局",
        Role.ORG_STAFF,
    ),
    "tianhe_mediator": (
        "黄调解",
        "440106",
        OrgKind.MEDIATION_COMMITTEE,
        "人民调解委员会",
        Role.MEDIATOR,
    ),
    "tianhe_leader": ("邓部长", "440106", OrgKind.SOCIAL_WORK_DEPARTMENT, "", Role.DEPT_LEADER),
    "yingde_hr": (
        "罗人社",
        "441881",
        OrgKind.GOVERNMENT_DEPARTMENT,
        "人力资源和社会保障局",
        Role.ORG_STAFF,
    ),
    "yingde_mediator": (
        "欧调解",
        "441881",
        OrgKind.MEDIATION_COMMITTEE,
        "人民调解委员会",
        Role.MEDIATOR,
    ),
}

# (key, kind, channel, category, title, request, state, days ago received)
SPECS = [
    (
        "wages1",
        "complaint",
        "hotline",
        "labour.wages",
        "装修工程队拖欠工人工资",
        "请求督促装修公司支付拖欠的两个月工资一万六千元",
        "registered",
        1,
    ),
    (
        "wages2",
        "petition",
        "visit",
        "labour.wages",
        "物流园区拖欠搬运工工资",
        "要求物流公司结清拖欠的搬运工资及加班费",
        "assigned",
        3,
    ),
    (
        "wages3",
        "complaint",
        "online",
        "labour.wages",
        "餐饮店拖欠服务员工资",
        "餐饮店停业后未支付最后一个月工资，请求处理",
        "accepted",
        20,
    ),
    (
        "wages4",
        "petition",
        "letter",
        "labour.wages",
        "建筑工地拖欠农民工工资",
        "十二名农民工请求追讨拖欠的工程款及工资共计二十六万元",
        "overdue",
        75,
    ),
    (
        "insurance",
        "request",
        "phone",
        "labour.insurance",
        "单位未缴纳社会保险",
        "公司连续半年未为员工缴纳社会保险，请求督促补缴",
        "closed",
        40,
    ),
    (
        "contract",
        "complaint",
        "online",
        "labour.contract",
        "公司违法解除劳动合同",
        "公司未提前通知即解除劳动合同且不支付经济补偿",
        "routed_out",
        12,
    ),
    (
        "dibao",
        "request",
        "visit",
        "assistance.dibao",
        "低保申请迟迟未审批",
        "家中老人患病，申请最低生活保障三个月未有结果",
        "replied",
        30,
    ),
    (
        "temp",
        "request",
        "phone",
        "assistance.temporary",
        "突发火灾后申请临时救助",
        "出租屋失火，家中财物损毁，请求临时救助",
        "rated_dissatisfied",
        35,
    ),
    (
        "property",
        "complaint",
        "hotline",
        "property.fee",
        "物业公司擅自上调物业费",
        "物业公司未经业主大会同意上调物业费，请求查处",
        "assigned",
        5,
    ),
    (
        "elevator",
        "complaint",
        "online",
        "property.service",
        "小区电梯频繁故障",
        "小区三号楼电梯一个月内故障五次，物业未及时维修",
        "accepted_overdue_assign",
        25,
    ),
    (
        "noise",
        "complaint",
        "online",
        "environment.construction",
        "夜间施工噪音扰民",
        "附近工地每晚十一点后仍在施工，严重影响休息",
        "registered",
        2,
    ),
    (
        "streetlight",
        "request",
        "meeting",
        "public.facilities",
        "村道路灯损坏",
        "村口至小学路段路灯损坏多月，学生夜间出行不安全",
        "closed_followed",
        28,
    ),
    (
        "homestead",
        "petition",
        "field",
        "housing.homestead",
        "宅基地界址争议",
        "两户村民因宅基地界址及围墙位置发生争执，请求确权调处",
        "supervised",
        50,
    ),
    (
        "neighbour",
        "dispute",
        "field",
        "neighbour.adjacent",
        "楼上漏水引发邻里纠纷",
        "楼上住户卫生间漏水导致楼下天花板损坏，双方就维修和赔偿协商不成",
        "mediation_agreement",
        18,
    ),
    (
        "family",
        "dispute",
        "meeting",
        "family.support",
        "子女赡养老人费用分担纠纷",
        "三名子女就母亲赡养费和轮流照料安排产生争执",
        "mediating",
        10,
    ),
    (
        "traffic",
        "dispute",
        "phone",
        "traffic.compensation",
        "电动车碰撞赔偿纠纷",
        "电动车与行人碰撞，双方就医疗费赔偿数额有争议",
        "registered",
        4,
    ),
    (
        "medical",
        "complaint",
        "letter",
        "medical.dispute",
        "社区医院误诊投诉",
        "老人在社区卫生服务中心就诊被误诊，延误治疗",
        "assigned",
        20,
    ),
    (
        "land",
        "petition",
        "visit",
        "land.compensation",
        "征地补偿款未足额发放",
        "村集体土地征收后部分补偿款未发放到户",
        "review",
        70,
    ),
]


def _region(county: str, r) -> Region:
    townships = list(Region.objects.filter(parent_id=f"{county}000000").order_by("code")[:6])
    township = r.choice(townships) if townships else Region.objects.get(code=f"{county}000000")
    villages = list(Region.objects.filter(parent_id=township.code).order_by("code")[:8])
    return r.choice(villages) if villages and r.random() < 0.6 else township


def _acting(username: str) -> User | None:
    user = User.objects.filter(username=username).first()
    if user is None:
        return None
    membership = (
        Membership.objects.filter(user=user, is_active=True)
        .select_related("organisation__region")
        .order_by("id")
        .first()
    )
    user.active_membership = membership
    return user


def _accounts() -> None:
    for username, (full_name, county, kind, suffix, role) in ACCOUNTS.items():
        orgs = Organisation.objects.filter(kind=kind, region_id=f"{county}000000")
        if suffix:
            orgs = orgs.filter(name__endswith=suffix)
        org = orgs.order_by("id").first()
        if org is None:
            continue
        user = User.objects.filter(username=username).first()
        if user is None:
            user = user_create(
                acting_user=None,
                username=username,
                password=DEMO_PASSWORD,
                full_name=full_name,
                via="demo",
            )
        membership_ensure(acting_user=None, user=user, organisation=org, role=role, via="demo")


def _backdate(matter: Matter, days_ago: int, *, stage: str | None = None, start_days_ago=None):
    """Move the demo story into the past so deadlines, overdue and analysis look real."""
    today = timezone.localdate()
    received = today - timedelta(days=days_ago)
    updates = {"received_on": received}
    if matter.assigned_on:
        updates["assigned_on"] = received + timedelta(days=min(3, days_ago))
    if matter.accepted_on:
        updates["accepted_on"] = received + timedelta(days=min(5, days_ago))
    for key, value in updates.items():
        setattr(matter, key, value)
    if stage:
        start = (
            today - timedelta(days=start_days_ago)
            if start_days_ago is not None
            else (matter.accepted_on if stage == "reply" else matter.assigned_on or received)
        )
        deadlines.set_stage(matter, stage, start)
    Matter.objects.filter(pk=matter.pk).update(
        **updates,
        **{f: getattr(matter, f) for f in deadlines.DUE_FIELDS},
    )
    from shegong.petitions.models import MatterEvent

    if stage == "reply" and matter.due_date:
        MatterEvent.objects.filter(matter=matter, action="accept").update(
            note=f"已受理并告知信访人，办理期限至 {matter.due_date.isoformat()}。"
        )
    # Spread the timeline over the same period (first event on the day received).
    events = list(MatterEvent.objects.filter(matter=matter).order_by("id"))
    span = max(days_ago - 1, 0)
    for index, event in enumerate(events):
        offset = days_ago - (span * index // max(len(events) - 1, 1) if len(events) > 1 else 0)
        at = timezone.now() - timedelta(days=max(offset, 0), hours=len(events) - index)
        MatterEvent.objects.filter(pk=event.pk).update(at=at)


def _story(spec, county: str, r, users: dict) -> None:
    key, kind, channel, code, title, request, state, days_ago = spec
    if Matter.objects.filter(county_code=county, title=title).exists():
        return
    dispatcher = users["dispatcher"]
    category = Category.objects.get(code=code)
    region = _region(county, r)
    petitioners = [{"name": chinese_name(r), "phone": mobile(r)}]
    if key == "wages4":
        petitioners += [
            {"name": chinese_name(r), "phone": mobile(r), "is_representative": True}
            for _ in range(3)
        ]
    if kind == "dispute":
        petitioners.append({"name": chinese_name(r), "phone": mobile(r)})
    matter = services.matter_register(
        acting_user=dispatcher,
        kind=kind,
        channel=channel,
        region_code=region.code,
        category=category,
        title=title,
        request=request,
        facts=f"{region.name}{r.randint(1, 200)}号，{request}。",
        address=f"{region.name}{r.randint(1, 200)}号",
        petitioners=petitioners,
        people_count=12 if key == "wages4" else len(petitioners),
    )
    if state == "registered":
        _backdate(matter, days_ago, stage="register", start_days_ago=days_ago)
        return
    if state == "routed_out":
        services.matter_route_out(
            matter=matter,
            procedure="劳动人事争议仲裁",
            notice="您反映的解除劳动合同争议属于劳动争议，请于知道权利被侵害之日起一年内向"
            "劳动人事争议仲裁委员会申请仲裁。",
            acting_user=dispatcher,
        )
        _backdate(matter, days_ago)
        return
    proposal = services.routing_proposal(matter)
    if proposal is None:
        proposal = Organisation.objects.filter(
            kind=OrgKind.GOVERNMENT_DEPARTMENT,
            region_id=f"{county}000000",
            sector="petition_bureau",
        ).first()
    services.matter_route(matter=matter, organisation=proposal, acting_user=dispatcher)
    if state == "assigned":
        _backdate(matter, days_ago, stage="accept", start_days_ago=max(days_ago - 2, 0))
        return
    handler = users["hr"] if proposal.sector == "human_resources" else None
    if proposal.kind == OrgKind.MEDIATION_COMMITTEE:
        handler = users["mediator"]
    if handler is None or handler.active_membership.organisation_id != proposal.pk:
        # A unit without a demo account: act as its own staff member for the story.
        handler = _unit_staff(proposal)
    services.matter_accept(matter=matter, acting_user=handler)
    if state == "accepted":
        _backdate(matter, days_ago, stage="reply", start_days_ago=days_ago - 5)
        return
    if state in ("overdue", "accepted_overdue_assign"):
        _backdate(matter, days_ago, stage="reply", start_days_ago=days_ago - 3)
        if state == "accepted_overdue_assign":
            Matter.objects.filter(pk=matter.pk).update(
                due_date=timezone.localdate() + timedelta(days=2)
            )
        return
    if state == "supervised":
        _backdate(matter, days_ago, stage="reply", start_days_ago=days_ago - 4)
        matter.refresh_from_db()
        services.matter_supervise(
            matter=matter,
            acting_user=users["city"],
            due_date=timezone.localdate() + timedelta(days=10),
            note="涉及群众切身利益，请于期限内调处到位并报结果。",
        )
        return
    if state in ("mediation_agreement", "mediating"):
        mediator = users["mediator"]
        mediation = services.mediation_start(
            matter=matter,
            acting_user=mediator,
            committee=proposal,
            mediators=str(mediator),
        )
        names = [p.name for p in matter.petitioners.all()]
        # The mediation began a few days ago (its first session is not before its start).
        started = timezone.localdate() - timedelta(days=min(3, days_ago))
        type(mediation).objects.filter(pk=mediation.pk).update(started_on=started)
        mediation.refresh_from_db()
        for side, name in (("applicant", names[0]), ("other", names[-1])):
            services.mediation_record_consent(
                mediation=mediation,
                acting_user=mediator,
                side=side,
                party=name,
                decision="consent",
                given_on=mediation.started_on,
                method="written",
            )
        services.mediation_add_session(
            mediation=mediation,
            acting_user=mediator,
            held_on=timezone.localdate() - timedelta(days=min(3, days_ago)),
            place=f"{matter.region.name}调解室",
            participants="、".join([*names, str(mediator)]),
            record="双方陈述事实，调解员释法说理，双方同意就维修和赔偿进一步协商。",
        )
        if state == "mediating":
            _backdate(matter, days_ago, stage="reply", start_days_ago=days_ago - 2)
            return
        services.mediation_conclude(
            mediation=mediation,
            acting_user=mediator,
            outcome="agreement",
            agreement={
                "parties": "\n".join(f"{n}（{matter.region.name}居民）" for n in names),
                "facts": matter.facts,
                "disputed_points": "漏水原因、维修责任及损失赔偿数额",
                "responsibilities": "楼上住户对卫生间防水层老化负主要责任",
                "terms": f"一、{names[0]}于七日内请专业人员修复卫生间防水层；\n"
                f"二、{names[0]}一次性赔偿{names[-1]}天花板修复费用三千二百元；\n"
                "三、双方就本纠纷再无其他争议。",
                "performance_manner": "现金或银行转账一次性支付，维修由楼上住户自行委托",
                "performance_deadline": timezone.localdate() + timedelta(days=15),
            },
        )
        services.matter_reply(
            matter=matter,
            acting_user=mediator,
            reply_kind="support",
            text="经人民调解，双方达成调解协议，请按协议约定履行。",
        )
        services.matter_close(matter=matter, acting_user=mediator)
        _backdate(matter, days_ago)
        return
    if state == "review":
        services.matter_reply(
            matter=matter,
            acting_user=handler,
            reply_kind="explain",
            text="补偿款已按村集体经济组织分配方案发放，未发放部分系权属争议待确认。",
        )
        services.matter_close(matter=matter, acting_user=handler)
        services.matter_request_review(
            matter=matter, acting_user=dispatcher, reason="信访人认为分配方案未经村民会议表决"
        )
        _backdate(matter, days_ago, stage="review_answer", start_days_ago=5)
        return
    services.matter_reply(
        matter=matter,
        acting_user=handler,
        reply_kind="support" if state != "rated_dissatisfied" else "explain",
        text={
            "insurance": "经查，该公司确未足额缴纳社会保险，已责令限期补缴。",
            "dibao": "经入户核查，符合最低生活保障条件，已批准自下月起发放。",
            "temp": "已按临时救助标准发放救助金一千五百元，并链接社工跟进。",
        }.get(key, "已协调有关单位处理完毕。"),
    )
    if state == "replied":
        _backdate(matter, days_ago)
        return
    services.matter_close(matter=matter, acting_user=handler)
    if state in ("closed_followed", "rated_dissatisfied"):
        services.followup_record(
            matter=matter,
            acting_user=dispatcher,
            method="phone",
            notes="电话回访信访人，对处理结果"
            + ("满意。" if state == "closed_followed" else "仍有意见，认为救助金额偏低。"),
            rating="satisfied" if state == "closed_followed" else "dissatisfied",
        )
    _backdate(matter, days_ago)


def _hot_spot(county: str, r, dispatcher) -> None:
    """A cluster: one site's unpaid wages reported four times this week by different workers
    (the analysis page and the county home page show it as a week-on-week hot spot)."""
    title = "同一工地多名工人反映欠薪"
    if Matter.objects.filter(county_code=county, title=title).exists():
        return
    township = Region.objects.filter(parent_id=f"{county}000000").order_by("code")[1:2].first()
    if township is None:
        return
    category = Category.objects.get(code="labour.wages")
    today = timezone.localdate()
    for i in range(4):
        matter = services.matter_register(
            acting_user=dispatcher,
            kind="complaint",
            channel="hotline",
            region_code=township.code,
            category=category,
            title=title,
            request=f"{township.name}某在建项目第{i + 1}班组工人反映被拖欠{r.randint(2, 5)}个月工资",
            petitioners=[{"name": chinese_name(r), "phone": mobile(r)}],
            received_on=today - timedelta(days=i),
        )
        _backdate(matter, i, stage="register", start_days_ago=i)


def _unit_staff(org: Organisation) -> User:
    username = f"demo_unit_{org.pk}"
    user = User.objects.filter(username=username).first()
    if user is None:
        user = user_create(
            acting_user=None,
            username=username,
            full_name=f"{org.name}经办人",
            is_active=False,
            via="demo",
        )
    membership, _ = membership_ensure(
        acting_user=None, user=user, organisation=org, role=Role.ORG_STAFF, via="demo"
    )
    user.active_membership = membership
    return user


def load(*, stdout) -> None:
    _accounts()
    city_user = _acting("guangzhou")
    created = 0
    for county, dispatcher_name in COUNTIES.items():
        dispatcher = _acting(dispatcher_name)
        if dispatcher is None or dispatcher.active_membership is None:
            continue
        users = {
            "dispatcher": dispatcher,
            "hr": _acting(f"{dispatcher_name}_hr"),
            "mediator": _acting(f"{dispatcher_name}_mediator"),
            "city": city_user if county.startswith("4401") else _acting("guangdong"),
        }
        r = rng(f"petitions-{county}")
        before = Matter.objects.filter(county_code=county).count()
        for spec in SPECS:
            _story(spec, county, r, users)
        # A repeat: the petitioner of the overdue wages matter calls again.
        first = Matter.objects.filter(
            county_code=county, title="建筑工地拖欠农民工工资", is_repeat=False
        ).first()
        if first is not None and not first.repeat_count:
            primary = first.petitioners.filter(is_primary=True).first()
            services.matter_register(
                acting_user=dispatcher,
                kind="petition",
                channel="phone",
                region_code=first.region_id,
                category=first.category,
                title=first.title,
                request=first.request,
                petitioners=[{"name": primary.name, "phone": primary.phone}],
            )
        _hot_spot(county, r, dispatcher)
        created += Matter.objects.filter(county_code=county).count() - before
    from shegong.petitions.deadlines import deadline_sweep

    result = deadline_sweep()
    stdout.write(f"  信访事项：新建 {created} 件，超期 {result.overdue} 件")
