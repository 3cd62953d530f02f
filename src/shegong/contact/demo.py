"""Demo contact meetings: two past meetings of a 天河 station with minutes and raised items at
various states (assigned to the county civil affairs bureau, answered and fed back, converted
into a matter, still to assign), and one planned meeting of the county department."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from shegong.accounts.models import Role
from shegong.contact import services
from shegong.contact.models import Invitation, Meeting
from shegong.core.scoping import code_range
from shegong.orgs.models import Kind, Organisation, Sector

UNSCOPED_READS = "Demo seeding runs as the system over every row."
COUNTY = "440106000000"  # 天河区
TITLE = "五山街道党员志愿者骨干联系群众座谈会"


def _station() -> Organisation | None:
    return (
        Organisation.objects.filter(
            region_id__gt=COUNTY,
            region_id__lte=code_range(COUNTY[:6])[1],
            kind=Kind.SOCIAL_WORK_STATION,
        )
        .order_by("region_id", "id")
        .first()
    )


@transaction.atomic
def load(*, stdout) -> None:
    from shegong.directives.demo import _as, _dept
    from shegong.petitions.selectors import leaf_categories
    from shegong.volunteers.models import Volunteer

    if Meeting.objects.unscoped(reason=UNSCOPED_READS).filter(title=TITLE).exists():
        return
    station = _station()
    county = _dept(COUNTY)
    civil = (
        Organisation.objects.filter(
            region_id=COUNTY, kind=Kind.GOVERNMENT_DEPARTMENT, sector=Sector.CIVIL_AFFAIRS
        )
        .order_by("id")
        .first()
    )
    if station is None or county is None or civil is None:
        stdout.write("contact: no 天河 station, department or civil affairs bureau; skipped")
        return
    worker = _as(station, Role.STATION_WORKER)
    civil_staff = _as(civil, Role.DEPT_LEADER)
    volunteers = list(
        Volunteer.objects.unscoped(reason=UNSCOPED_READS)
        .in_subtree(station.region_id[:9])
        .order_by("id")[:4]
    ) or list(
        Volunteer.objects.unscoped(reason=UNSCOPED_READS).in_subtree(COUNTY[:6]).order_by("id")[:4]
    )
    orgs = list(
        Organisation.objects.in_subtree(station.region_id[:9])
        .filter(kind__in=(Kind.RESIDENTS_COMMITTEE, Kind.SOCIAL_WORK_ORGANISATION))
        .order_by("id")[:2]
    )
    today = timezone.localdate()
    category = leaf_categories().first()

    def meeting(title, kind, days_ago, agenda):
        m = services.meeting_plan(
            acting_user=worker,
            kind=kind,
            title=title,
            held_on=today - timedelta(days=days_ago),
            place=f"{station.name}会议室",
            agenda=agenda,
        )
        invited = [
            services.invitation_add(
                meeting=m, acting_user=worker, kind=Invitation.Kind.VOLUNTEER, reference=v
            )
            for v in volunteers
        ] + [
            services.invitation_add(
                meeting=m, acting_user=worker, kind=Invitation.Kind.ORGANISATION, reference=o
            )
            for o in orgs
        ]
        services.meeting_hold(meeting=m, acting_user=worker)
        services.attendance_record(
            meeting=m, acting_user=worker, present=[i.pk for i in invited[:-1]]
        )
        return m, invited

    first, invited = meeting(
        TITLE,
        Meeting.Kind.VOLUNTEER_BACKBONES,
        40,
        "一、通报社区服务情况\n二、听取党员志愿者骨干意见\n三、研究下一步服务安排",
    )
    if invited:
        items = [
            services.item_record(
                meeting=first,
                acting_user=worker,
                raiser=invited[0],
                text="小区独居老人较多，希望增加助餐点和上门探访频次。",
                consent_publish=True,
            ),
            services.item_record(
                meeting=first,
                acting_user=worker,
                raiser=invited[min(1, len(invited) - 1)],
                text="社区长者饭堂价格公示不清楚，希望公开收费标准。",
            ),
        ]
        services.item_assign(item=items[0], acting_user=worker, unit=civil, due_days=15)
        services.item_answer(
            item=items[0],
            acting_user=civil_staff,
            answer="已将该社区纳入长者助餐点扩点计划，下月起增设一个助餐点，探访频次调整为每周一次。",
        )
        services.item_feed_back(item=items[0], acting_user=worker)
        services.item_assign(item=items[1], acting_user=worker, unit=civil, due_days=10)
    services.meeting_minutes_record(
        meeting=first,
        acting_user=worker,
        minutes="会议听取了党员志愿者骨干对社区养老服务的意见，共收集意见 2 条，已分别交办。",
        summary="座谈会收集群众意见 2 条，均已交办责任单位办理。",
    )
    second, invited = meeting(
        "五山街道居民代表议事会",
        Meeting.Kind.RESIDENTS,
        12,
        "听取居民代表对社区治理的意见建议",
    )
    if invited:
        services.item_record(
            meeting=second,
            acting_user=worker,
            raiser=invited[0],
            text="希望在社区增设周末亲子活动。",
        )
        if category is not None:
            dispute = services.item_record(
                meeting=second,
                acting_user=worker,
                raiser=invited[-1],
                text="楼上住户装修噪音长期扰民，多次协商未果，请求调解。",
            )
            services.item_convert(
                item=dispute, acting_user=worker, kind="dispute", category=category
            )
    services.meeting_minutes_record(
        meeting=second,
        acting_user=worker,
        minutes="会议听取居民代表意见，一项邻里纠纷已转为信访事项办理。",
    )
    services.meeting_plan(
        acting_user=_as(county, Role.DEPT_LEADER),
        kind=Meeting.Kind.SW_ORGANISATIONS,
        title="天河区社会工作服务机构代表座谈会",
        held_on=today + timedelta(days=10),
        place=f"{county.name}会议室",
        agenda="听取社会工作服务机构代表对购买服务项目的意见",
    )
    stdout.write("contact: 3 meetings of 天河区 with minutes and raised items")
