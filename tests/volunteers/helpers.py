"""Builders for volunteer tests: valid resident IDs, volunteers, activities with shifts."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

from django.utils import timezone
from stdnum.cn import ric

from shegong.volunteers import services
from shegong.volunteers.models import Volunteer

_seq = itertools.count(1)


def resident_id(
    area: str = "440106", birth: date = date(1990, 5, 17), seq: int | None = None
) -> str:
    n = next(_seq) if seq is None else seq
    body = f"{area}{birth:%Y%m%d}{n % 1000:03d}"
    return body + ric.calc_check_digit(body + "0")


def make_volunteer(
    *,
    region: str = "440106001001",
    name: str = "",
    skills=(),
    availability=(),
    party: bool = False,
    consent_public: bool = False,
    by=None,
    **extra,
) -> Volunteer:
    n = next(_seq)
    birth = date(1988, 1, 1) + timedelta(days=n * 37 % 6000)
    return services.volunteer_register(
        data={
            "name": name or f"志愿者{n}",
            "id_number": resident_id("440106", birth, n),
            "phone": f"139{n:08d}",
            "region": region,
            "skills": list(skills),
            "availability": list(availability),
            "political_status": "party_member" if party else "masses",
            "consent_public": consent_public,
        },
        source=Volunteer.Source.ORGANISATION,
        acting_user=by,
        consent=True,
        **extra,
    )


def make_activity(
    user,
    *,
    capacity: int = 2,
    shifts: int = 1,
    publish: bool = True,
    start=None,
    required_skills=(),
    auto_accept: bool = True,
    title: str = "长者探访",
    region: str | None = None,
):
    org = user.active_membership.organisation
    start = start or timezone.now() + timedelta(days=2)
    specs = [
        {
            "starts_at": start + timedelta(hours=4 * i),
            "ends_at": start + timedelta(hours=4 * i + 3),
            "capacity": capacity,
            "required_skills": list(required_skills),
            "title": f"第{i + 1}班",
        }
        for i in range(shifts)
    ]
    return services.activity_create(
        acting_user=user,
        organisation=org,
        data={
            "title": title,
            "description": "上门探访独居长者",
            "service_type": "elderly",
            "beneficiaries": "独居长者",
            "address": "天河区某社区活动室",
            "region": region or org.region_id,
            "starts_at": start,
            "ends_at": start + timedelta(hours=4 * shifts),
            "auto_accept": auto_accept,
        },
        shifts=specs,
        publish=publish,
    )
