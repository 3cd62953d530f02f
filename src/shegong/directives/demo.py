"""Demo directives: a central task cascaded through 广东 (and 贵州, which never acknowledges) to
the stations of 天河区 and 英德市, at various states (some overdue after the sweep); and an
inspection of a 天河 station with open rectification items."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from shegong.accounts import membership_services
from shegong.accounts.models import Membership, Role, User
from shegong.core.demo_utils import rng
from shegong.directives import services
from shegong.directives.models import Directive, DirectiveTarget
from shegong.orgs.models import Kind, Organisation

UNSCOPED_READS = "Demo seeding runs as the system over every row."
DEMO_ACTOR = "demo-directives"
# Who may act as the demo's leader (issue, review, cascade) or station worker (handle) of a unit.
PERMITTED = {
    Role.DEPT_LEADER: [Role.DEPT_LEADER, Role.DEPT_STAFF],
    Role.STATION_WORKER: [Role.STATION_WORKER, Role.DEPT_STAFF, Role.DEPT_LEADER],
}
TITLE = "关于开展乡镇（街道）社工站建设专项督查的通知"


def _acting(username: str):
    user = User.objects.filter(username=username).first()
    if user is None:
        return None
    membership = (
        Membership.objects.filter(user=user, is_active=True).select_related("organisation").first()
    )
    if membership is None:
        return None
    user.active_membership = membership
    return user


def _as(unit: Organisation, role: str = Role.DEPT_LEADER):
    """A demo actor for `unit`: someone who already works there, else the demo's own sign-in-less
    account (督办演示), given a membership of the unit through the audited services."""
    membership = (
        Membership.objects.filter(
            organisation=unit, is_active=True, user__is_active=True, role__in=PERMITTED[role]
        )
        .select_related("organisation", "user")
        .order_by("pk")
        .first()
    )
    if membership is None:
        actor = User.objects.filter(username=DEMO_ACTOR).first() or membership_services.user_create(
            acting_user=None, username=DEMO_ACTOR, full_name="督办演示", via="demo"
        )
        membership, _ = membership_services.membership_ensure(
            acting_user=None, user=actor, organisation=unit, role=role, via="demo"
        )
    user = membership.user
    user.active_membership = membership
    return user


def _copy(directive, unit) -> DirectiveTarget:
    return DirectiveTarget.objects.get(directive=directive, unit=unit)


def _dept(code: str) -> Organisation | None:
    return (
        Organisation.objects.filter(region_id=code, kind=Kind.SOCIAL_WORK_DEPARTMENT)
        .order_by("id")
        .first()
    )


@transaction.atomic
def load(*, stdout) -> None:
    central = _acting("central")
    if central is None or Directive.objects.filter(title=TITLE).exists():
        stdout.write("directives: skipped (no demo accounts, or already loaded)")
        return
    r = rng("directives")
    today = timezone.localdate()
    directive = services.directive_issue(
        acting_user=central,
        title=TITLE,
        body="各级社会工作部门要对照建设标准，逐站核查场地、人员、制度和服务开展情况，"
        "形成督查报告，并于期限内报送。",
        category=Directive.Category.TASK,
        priority=Directive.Priority.URGENT,
        level=1,
        due_days=30,
        cadence=Directive.Cadence.WEEKLY,
        issued_on=today - timedelta(days=12),
    )
    gd, gz, qy = _dept("440000000000"), _dept("440100000000"), _dept("441800000000")
    th, yd = _dept("440106000000"), _dept("441881000000")
    if None in (gd, gz, qy, th, yd):
        stdout.write("directives: demo departments missing, cascade skipped")
        return
    services.target_acknowledge(target=_copy(directive, gd), acting_user=_as(gd))
    gd_copy = _copy(directive, gd)
    services.target_cascade(
        target=gd_copy,
        acting_user=_as(gd),
        level=2,
        instructions="请各地级以上市于内部期限前完成并报送督查报告。",
        due_date=gd_copy.due_date - timedelta(days=5),
    )
    for city, county in ((gz, th), (qy, yd)):
        services.target_acknowledge(target=_copy(directive, city), acting_user=_as(city))
        city_copy = _copy(directive, city)
        services.target_cascade(
            target=city_copy,
            acting_user=_as(city),
            level=3,
            regions=[county.region_id],
            due_date=city_copy.due_date - timedelta(days=3),
        )
        services.target_acknowledge(target=_copy(directive, county), acting_user=_as(county))
        county_copy = _copy(directive, county)
        services.target_cascade(
            target=county_copy,
            acting_user=_as(county),
            level=4,
            instructions="请各社工站自查并上传佐证材料。",
            due_date=county_copy.due_date - timedelta(days=2),
        )
        stations = list(
            DirectiveTarget.objects.filter(directive=directive, parent=county_copy).select_related(
                "unit"
            )
        )
        for i, station_copy in enumerate(stations):
            unit = station_copy.unit
            worker = _as(unit, Role.STATION_WORKER)
            stage = r.random()
            if stage < 0.25:
                continue  # not yet acknowledged
            services.target_acknowledge(target=station_copy, acting_user=worker)
            if stage < 0.45:
                continue
            services.progress_report(
                target=_copy(directive, unit),
                acting_user=worker,
                text="已完成场地和人员自查，正在整理服务台账。",
                figures={"done": r.randint(1, 5)},
            )
            if stage < 0.65:
                continue
            services.target_complete(
                target=_copy(directive, unit),
                acting_user=worker,
                text="自查完成，佐证材料已整理。",
                figures={"done": r.randint(5, 12)},
            )
            if stage < 0.8:
                continue
            if i % 5 == 0:
                services.completion_return(
                    target=_copy(directive, unit),
                    acting_user=_as(county),
                    reason="缺少服务记录佐证，请补充后重新提交。",
                )
            else:
                services.completion_accept(target=_copy(directive, unit), acting_user=_as(county))
    # 贵州 and the other cities of 广东 have not acknowledged: they were sent the task 12 days ago
    # (贵州) or today (the cities); the sweep lists 贵州 as overdue.
    result = services.directive_sweep(today=today)
    _inspection(th, stdout)
    stdout.write(
        f"  督办事项：1 项，承办件 {DirectiveTarget.objects.filter(directive=directive).count()} 份，"
        f"逾期 {result.overdue} 份"
    )


def _inspection(th: Organisation, stdout) -> None:
    stations = list(
        Organisation.objects.filter(
            kind=Kind.SOCIAL_WORK_STATION, region_id__gte="440106", region_id__lte="440106999999"
        ).order_by("region_id")[:3]
    )
    if len(stations) < 2:
        return
    today = timezone.localdate()
    inspector = _as(th)
    inspection = services.inspection_record(
        acting_user=inspector,
        kind="inspection",
        region_code=stations[0].region_id,
        organisation=stations[0],
        inspectors="李天河、王督导",
        visited_on=today - timedelta(days=7),
        findings="1. 服务台账不完整，部分个案缺少过程记录；\n2. 站点公示栏未更新服务项目；\n"
        "3. 志愿者服务时长未及时录入。",
    )
    directive = services.rectification_assign(
        inspection=inspection,
        acting_user=inspector,
        items=[
            services.Item(
                text="补齐个案过程记录", unit=stations[0], due_date=today + timedelta(days=20)
            ),
            services.Item(
                text="更新站点公示栏", unit=stations[1], due_date=today + timedelta(days=10)
            ),
        ],
    )
    first = DirectiveTarget.objects.get(directive=directive, unit=stations[1])
    worker = _as(stations[1], "station_worker")
    services.target_acknowledge(target=first, acting_user=worker)
    services.target_complete(
        target=DirectiveTarget.objects.get(pk=first.pk),
        acting_user=worker,
        text="公示栏已更新，服务项目已公示。",
    )
