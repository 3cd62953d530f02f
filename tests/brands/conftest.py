"""Tianhe's department, its 五山 station, Guangzhou's and Guangdong's departments, and Yingde's
(a county outside); a brand of Tianhe running an activity with service records."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from shegong.people.synthetic import make_id_number

UNITS = {
    "tianhe": ("dept_staff", "440106000000", "sw_department", "天河区委社会工作部"),
    "wushan": ("station_worker", "440106001000", "sw_station", "五山街道社工站"),
    "guangzhou": ("dept_leader", "440100000000", "sw_department", "广州市委社会工作部"),
    "guangdong": ("dept_leader", "440000000000", "sw_department", "广东省委社会工作部"),
    "yingde": ("dept_staff", "441881000000", "sw_department", "英德市委社会工作部"),
}
VILLAGE = "440106001001"


@pytest.fixture(autouse=True)
def _clear_rate_limits():
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def users(make_member):
    return {
        key: make_member(role, code, kind=kind, name=name)
        for key, (role, code, kind, name) in UNITS.items()
    }


def register(user, name="红棉先锋·邻里守望", **extra):
    from shegong.brands import services

    return services.brand_register(
        acting_user=user,
        name=name,
        kind=extra.pop("kind", "party"),
        owner=extra.pop("owner", user.active_membership.organisation),
        description="党员志愿者带头探访独居长者",
        started_on=date(2024, 1, 1),
        **extra,
    )


def add_records(activity, *, year: int, hours: list[str], ratings: list, residents=()):
    """Service records of `activity` (confirmed unless the hours start with '-': pending), and
    the residents the first record served."""
    from shegong.volunteers.models import RecordBeneficiary, ServiceRecord
    from tests.volunteers.helpers import make_volunteer

    volunteer = make_volunteer()
    made = []
    for index, (h, rating) in enumerate(zip(hours, ratings, strict=True)):
        pending = h.startswith("-")
        made.append(
            ServiceRecord.objects.create(
                volunteer=volunteer,
                activity=activity,
                organisation=activity.organisation,
                region_code=activity.region_id,
                activity_name=activity.title,
                service_date=date(year, 3, 1 + index),
                hours=Decimal(h.lstrip("-")),
                quality_rating=rating,
                status=ServiceRecord.Status.PENDING if pending else ServiceRecord.Status.CONFIRMED,
                source=ServiceRecord.Source.MANUAL,
            )
        )
    for resident in residents:
        RecordBeneficiary.objects.create(
            record=made[0], resident=resident, region_code=resident.region_id
        )
    return made


@pytest.fixture
def residents(users):
    from shegong.people import services
    from shegong.people.models import Category
    from shegong.regions.models import Region

    alone = Category.objects.get(code="living_alone")
    return [
        services.resident_create(
            acting_user=users["wushan"],
            name=f"测试老人{n}",
            id_number=make_id_number("440106", date(1945, 3, 8), n, "M"),
            region=Region.objects.get(code=VILLAGE),
            categories=[alone],
            confirm_duplicates=True,
        )
        for n in (1, 2, 3)
    ]
