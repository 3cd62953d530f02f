"""Demo sweep: typhoon 「海燕」 hits the north of 英德市; the city's department declared a sweep of
the demo villages of 英德市 six hours ago (24 hours to reach everyone), for the elderly living
alone, the left-behind elderly and children and the disabled. A station worker of 英德 has the
tasks; the first villages are done (one resident needs help: an assistance record), one
resident could not be reached, the rest are pending. Idempotent: an existing event is left."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from shegong.accounts.membership_services import membership_ensure, user_create
from shegong.accounts.models import Role, User
from shegong.core.demo_utils import DEMO_PASSWORD
from shegong.emergency import services
from shegong.emergency.models import EmergencyEvent, NeedCategory, Outcome, SweepTask
from shegong.orgs.models import Kind, Organisation
from shegong.people.models import Category, Resident
from shegong.regions.models import Region

UNSCOPED_READS = (
    "Seeds the demo data as the system (make demo), across the jurisdictions it creates; "
    "it answers no user's request."
)

TITLE = "台风“海燕”英德市北部应急排查"
COUNTY = "441881000000"
GROUPS = ("living_alone", "left_behind_elderly", "disabled", "left_behind_child")


def _acting(username: str) -> User | None:
    user = User.objects.filter(username=username).first()
    if user is None:
        return None
    user.active_membership = user.memberships.select_related("organisation__region").first()
    return user if user.active_membership else None


def load(*, stdout) -> None:
    if EmergencyEvent.objects.unscoped(reason=UNSCOPED_READS).filter(title=TITLE).exists():
        return
    declarer = _acting("yingde")
    villages = list(
        Resident.objects.in_subtree("441881")
        .order_by("region_id")
        .values_list("region_id", flat=True)
        .distinct()
    )
    if declarer is None or len(villages) < 3:
        return
    townships = sorted({code[:9] for code in villages})
    station = (
        Organisation.objects.filter(kind=Kind.SOCIAL_WORK_STATION, region_id=townships[0] + "000")
        .order_by("id")
        .first()
    )
    if station is not None and not User.objects.filter(username="yingde_worker").exists():
        worker = user_create(
            acting_user=None,
            username="yingde_worker",
            password=DEMO_PASSWORD,
            full_name="陈英社",
            via="demo",
        )
        membership_ensure(
            acting_user=None,
            user=worker,
            organisation=station,
            role=Role.STATION_WORKER,
            via="demo",
        )
    worker = _acting("yingde_worker")
    areas = list(Region.objects.filter(code__in=villages[:8]))
    event = services.event_declare(
        acting_user=declarer,
        kind=EmergencyEvent.Kind.TYPHOON,
        title=TITLE,
        areas=areas,
        categories=list(Category.objects.filter(code__in=GROUPS)),
        starts_at=timezone.now() - timedelta(hours=6),
        target_hours=24,
        note="台风“海燕”预计今晚在粤北登陆，请各社工站逐户联系，确认安全并登记需求。",
        volunteer_capacity=6,
    )
    services.event_start(event=event, acting_user=declarer)
    recorder = worker or declarer
    done = set(sorted({v for v in villages[:8]})[:4])
    tasks = list(
        SweepTask.objects.unscoped(reason=UNSCOPED_READS)
        .filter(event=event)
        .select_related("resident")
        .order_by("region_code", "id")
    )
    helped = unreached = False
    for task in tasks:
        if task.region_code not in done:
            continue
        if not helped:
            helped = True
            services.outcome_record(
                task=task,
                acting_user=recorder,
                outcome=Outcome.NEEDS_HELP,
                need_category=NeedCategory.RELOCATION,
                need_text="房屋老旧漏雨，需要转移到村委会临时安置点",
            )
        elif not unreached:
            unreached = True
            services.outcome_record(
                task=task,
                acting_user=recorder,
                outcome=Outcome.NOT_REACHED,
                reason="电话无人接听，邻居说去了女儿家",
            )
            services.outcome_record(task=task, acting_user=recorder, outcome=Outcome.SAFE)
        else:
            services.outcome_record(task=task, acting_user=recorder, outcome=Outcome.SAFE)
    pending = next((t for t in tasks if t.region_code not in done), None)
    if pending is not None:
        services.outcome_record(
            task=pending, acting_user=recorder, outcome=Outcome.NOT_REACHED, reason="家中无人"
        )
    stdout.write(f"  应急排查：{event.title}，排查对象 {event.task_count} 人")
