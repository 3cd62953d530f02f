"""A small world for the suggestions box: 天河区's department and the 五山 station (staff who
answer), and 英德's department (the outsider)."""

from __future__ import annotations

import pytest

from tests.factories import MembershipFactory, OrganisationFactory

WUSHAN = "440106001000"  # 五山街道, 天河区
YINGCHENG = "441881001000"  # 英城街道, 英德市
UNITS = {
    "tianhe": ("440106000000", "sw_department", "天河区委社会工作部", "dept_staff"),
    "wushan": (WUSHAN, "sw_station", "五山街道社工站", "station_worker"),
    "yingde": ("441881000000", "sw_department", "英德市委社会工作部", "dept_staff"),
}


@pytest.fixture
def staff(db) -> dict:
    users = {}
    for key, (code, kind, name, role) in UNITS.items():
        org = OrganisationFactory(name=name, kind=kind, region_id=code)
        membership = MembershipFactory(organisation=org, role=role)
        user = membership.user
        user.active_membership = membership
        users[key] = user
    return users


@pytest.fixture
def submit(db):
    from shegong.suggestions import services

    def make(text: str, region: str = WUSHAN, **kwargs):
        return services.suggestion_submit(region_code=region, text=text, **kwargs)

    return make


def refetch(obj):
    return type(obj)._default_manager.unscoped(reason="test").get(pk=obj.pk)
