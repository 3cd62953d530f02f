"""Demo brands: a Tianhe party-building brand running the district's past volunteer activities,
with a year's targets and evaluation, recommended by the district and recognised at city level
by Guangzhou; and a Yingde service brand applying for county recognition."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db.models import Count

from shegong.core.demo_utils import demo_user

SEEDING = "Seeds the demo data as the system (make demo); it answers no user's request."


def _activities(prefix: str, limit: int) -> list:
    from shegong.volunteers.models import Activity, ServiceRecord

    return list(
        Activity.objects.unscoped(reason=SEEDING)
        .in_subtree(prefix)
        .filter(records__status=ServiceRecord.Status.CONFIRMED)
        .annotate(n=Count("records"))
        .order_by("-n", "id")[:limit]
    )


def _busiest_year(activities: list) -> int:
    from shegong.volunteers.models import ServiceRecord

    row = (
        ServiceRecord.objects.unscoped(reason=SEEDING)
        .filter(activity__in=activities, status=ServiceRecord.Status.CONFIRMED)
        .values("service_date__year")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )
    return row["service_date__year"] if row else date.today().year


def load(*, stdout) -> None:
    from shegong.brands import services
    from shegong.brands.models import Brand, Recognition
    from shegong.people.models import Category

    if Brand.objects.unscoped(reason=SEEDING).exists():
        return
    tianhe, guangzhou, yingde = demo_user("tianhe"), demo_user("guangzhou"), demo_user("yingde")
    if tianhe is None or guangzhou is None or yingde is None:
        return
    groups = list(Category.objects.order_by("order", "code")[:2])
    brand = services.brand_register(
        acting_user=tianhe,
        name="红棉先锋·邻里守望",
        kind=Brand.Kind.PARTY,
        owner=tianhe.active_membership.organisation,
        description="党员志愿者骨干带头，联合社工站开展独居长者探访、邻里互助和政策宣讲，"
        "以“党建+社工+志愿者”联动解决群众身边的小事难事。",
        started_on=date(2022, 7, 1),
        target_groups=groups,
    )
    activities = _activities("440106", 4)
    for activity in activities:
        services.brand_link_activity(acting_user=tianhe, brand=brand, activity=activity)
    year = _busiest_year(activities)
    services.target_set(
        acting_user=tianhe,
        brand=brand,
        year=year,
        reach=5,
        hours=Decimal("50"),
        satisfaction=Decimal("0.9"),
    )
    services.brand_evaluate(
        acting_user=tianhe, brand=brand, year=year, comment="服务时长和满意率达标，覆盖面继续扩大。"
    )
    recognition = services.recognition_apply(
        acting_user=tianhe,
        brand=brand,
        level="city",
        statement="品牌运行三年，党员志愿者骨干常态化参与，群众满意率高。",
    )
    services.recognition_recommend(recognition=recognition, acting_user=tianhe, note="同意推荐")
    services.recognition_award(
        recognition=recognition, acting_user=guangzhou, note="认定为市级品牌"
    )

    other = services.brand_register(
        acting_user=yingde,
        name="英德茶乡暖心驿站",
        kind=Brand.Kind.SERVICE,
        owner=yingde.active_membership.organisation,
        description="依托乡镇（街道）社工站，为留守老人和困境儿童提供探访、陪伴和助餐服务。",
        started_on=date(2024, 3, 1),
        target_groups=groups[:1],
    )
    for activity in _activities("441881", 2):
        services.brand_link_activity(acting_user=yingde, brand=other, activity=activity)
    services.recognition_apply(
        acting_user=yingde, brand=other, level="county", statement="申报县级服务品牌。"
    )
    count = Recognition.objects.unscoped(reason=SEEDING).count()
    stdout.write(f"brands: 2, recognitions: {count}\n")
