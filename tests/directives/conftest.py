"""A small hierarchy of leading units: the nation, two provinces (广东, 贵州), two cities of
广东 (广州, 清远), their counties 天河区 and 英德市, and social work stations in two townships of
each county; one member (dept_leader, or station_worker at a station) per unit."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from tests.factories import MembershipFactory, OrganisationFactory

UNITS = {
    "central": ("000000000000", "sw_department", "中央社会工作部", "dept_leader"),
    "guangdong": ("440000000000", "sw_department", "广东省委社会工作部", "dept_leader"),
    "guizhou": ("520000000000", "sw_department", "贵州省委社会工作部", "dept_leader"),
    "guangzhou": ("440100000000", "sw_department", "广州市委社会工作部", "dept_leader"),
    "qingyuan": ("441800000000", "sw_department", "清远市委社会工作部", "dept_leader"),
    "tianhe": ("440106000000", "sw_department", "天河区委社会工作部", "dept_staff"),
    "yingde": ("441881000000", "sw_department", "英德市委社会工作部", "dept_staff"),
    "wushan": ("440106001000", "sw_station", "五山街道社工站", "station_worker"),
    "yuancun": ("440106002000", "sw_station", "员村街道社工站", "station_worker"),
    "yingcheng": ("441881001000", "sw_station", "英城街道社工站", "station_worker"),
}


@dataclass
class World:
    users: dict = field(default_factory=dict)
    units: dict = field(default_factory=dict)

    def __getitem__(self, key):
        return self.users[key]


@pytest.fixture
def world(db) -> World:
    found = World()
    for key, (code, kind, name, role) in UNITS.items():
        org = OrganisationFactory(name=name, kind=kind, region_id=code)
        membership = MembershipFactory(organisation=org, role=role)
        user = membership.user
        user.active_membership = membership
        found.users[key] = user
        found.units[key] = org
    return found


def refetch(obj):
    return type(obj)._default_manager.unscoped(reason="test").get(pk=obj.pk)
