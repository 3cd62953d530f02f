"""A small sweep world in 天河区: the county department (declarer), the 五山 station with a
worker and a head (督导), residents in three 五山 villages and one 员村 village, some in the
target groups and some not; and 英德市's department (the outsider)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from shegong.people.models import Category
from shegong.people.synthetic import make_id_number
from tests.factories import MembershipFactory, OrganisationFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")
START = datetime(2026, 12, 7, 8, 0, tzinfo=SHANGHAI)
V1, V2, V3 = "440106001001", "440106001002", "440106001003"  # 五山街道
OUTSIDE = "440106002008"  # 员村街道: outside the area
UNITS = {
    "county": ("440106000000", "sw_department", "天河区委社会工作部", "dept_staff", ""),
    "station": ("440106001000", "sw_station", "五山街道社工站", "station_worker", ""),
    "head": ("440106001000", "sw_station", None, "supervisor", "站长"),
    "yingde": ("441881000000", "sw_department", "英德市委社会工作部", "dept_staff", ""),
    "yingde_station": ("441881001000", "sw_station", "英城街道社工站", "station_worker", ""),
}


@dataclass
class World:
    users: dict = field(default_factory=dict)
    units: dict = field(default_factory=dict)
    residents: dict = field(default_factory=dict)

    def __getitem__(self, key):
        return self.users[key]


@pytest.fixture
def world(db) -> World:
    from shegong.people import services
    from shegong.regions.models import Region

    found = World()
    for key, (code, kind, name, role, title) in UNITS.items():
        org = (
            found.units["station"]
            if name is None
            else OrganisationFactory(name=name, kind=kind, region_id=code)
        )
        membership = MembershipFactory(organisation=org, role=role, title=title)
        user = membership.user
        user.active_membership = membership
        found.users[key] = user
        found.units[key] = org
    cats = {c.code: c for c in Category.objects.all()}
    plan = [
        ("alone1", V1, ["living_alone"]),
        ("alone2", V1, ["living_alone", "dibao"]),
        ("disabled", V2, ["severely_disabled"]),
        ("child", V3, ["left_behind_child"]),
        ("dibao_only", V2, ["dibao"]),  # not in the groups
        ("outside", OUTSIDE, ["living_alone"]),  # not in the area
    ]
    for n, (key, village, codes) in enumerate(plan, start=1):
        birth = date(2016, 5, 1) if key == "child" else date(1940, 3, 8)
        found.residents[key] = services.resident_create(
            acting_user=found["county"],
            name=f"排查对象{key}",
            id_number=make_id_number("440106", birth, n, "M"),
            region=Region.objects.get(code=village),
            categories=[cats[c] for c in codes],
            confirm_duplicates=True,
        )
    # The first resident has a worker of their own (the visit plan's worker).
    from shegong.people.models import Resident

    Resident.objects.unscoped(reason="test").filter(pk=found.residents["alone1"].pk).update(
        assigned_worker=found["county"]
    )
    return found


GROUPS = ("living_alone", "severely_disabled", "left_behind_child")


@pytest.fixture
def declare(world):
    from shegong.emergency import services
    from shegong.regions.models import Region

    def do(user=None, *, areas=(V1, V2, V3), groups=GROUPS, start=START, hours=24, **kw):
        return services.event_declare(
            acting_user=user or world["county"],
            kind="typhoon",
            title="台风应急排查",
            areas=list(Region.objects.filter(code__in=areas)),
            categories=list(Category.objects.filter(code__in=groups)),
            starts_at=start,
            target_hours=hours,
            **kw,
        )

    return do
