"""A small world for contact: the 天河区 department, its civil affairs bureau, the 五山 station,
a resident-representative account and a volunteer of 五山 (the raisers), and 英德's
department and station (the outsiders); one member per unit."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pytest

from tests.factories import MembershipFactory, OrganisationFactory

UNITS = {
    "tianhe": ("440106000000", "sw_department", "天河区委社会工作部", "dept_staff", ""),
    "civil": ("440106000000", "gov_department", "天河区民政局", "dept_staff", "civil_affairs"),
    "wushan": ("440106001000", "sw_station", "五山街道社工站", "station_worker", ""),
    "yuancun": ("440106002000", "sw_station", "员村街道社工站", "station_worker", ""),
    "committee": ("440106001000", "residents_committee", "五山社区居委会", "volunteer", ""),
    "yingde": ("441881000000", "sw_department", "英德市委社会工作部", "dept_staff", ""),
    "yingcheng": ("441881001000", "sw_station", "英城街道社工站", "station_worker", ""),
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
    for key, (code, kind, name, role, sector) in UNITS.items():
        extra = {"sector": sector} if sector else {}
        org = OrganisationFactory(name=name, kind=kind, region_id=code, **extra)
        membership = MembershipFactory(organisation=org, role=role)
        user = membership.user
        user.active_membership = membership
        found.users[key] = user
        found.units[key] = org
    return found


def refetch(obj):
    return type(obj)._default_manager.unscoped(reason="test").get(pk=obj.pk)


@pytest.fixture
def held_meeting(world):
    """A meeting of the 五山 station, held, with the committee member (an account) invited."""
    from shegong.contact import services
    from shegong.contact.models import Invitation

    worker = world["wushan"]
    meeting = services.meeting_plan(
        acting_user=worker,
        kind="residents",
        title="五山街道居民代表议事会",
        held_on=date(2026, 12, 1),
        place="五山社工站会议室",
        agenda="听取意见",
    )
    invitation = services.invitation_add(
        meeting=meeting,
        acting_user=worker,
        kind=Invitation.Kind.ACCOUNT,
        reference=world["committee"],
    )
    services.meeting_hold(meeting=meeting, acting_user=worker)
    return meeting, invitation
