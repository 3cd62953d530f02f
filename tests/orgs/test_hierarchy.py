"""The hierarchy of leading units that directives go down and reports go up: the units at a
level inside a jurisdiction, and the unit each one answers to."""

import pytest

from shegong.orgs.selectors import leading_units, superior_unit
from tests.factories import OrganisationFactory


@pytest.fixture
def tree(db):
    central = OrganisationFactory(region_id="000000000000", name="中央社会工作部")
    gd = OrganisationFactory(region_id="440000000000", name="广东省委社会工作部", parent=central)
    gz = OrganisationFactory(region_id="440100000000", name="广州市委社会工作部", parent=gd)
    qy = OrganisationFactory(region_id="441800000000", name="清远市委社会工作部", parent=gd)
    th = OrganisationFactory(region_id="440106000000", name="天河区委社会工作部", parent=gz)
    yd = OrganisationFactory(region_id="441881000000", name="英德市委社会工作部")  # no parent set
    station = OrganisationFactory(region_id="440106001000", kind="sw_station", name="甲街道社工站")
    yd_station = OrganisationFactory(region_id="441881101000", kind="sw_station", name="英德站")
    OrganisationFactory(region_id="440106001000", kind="party_mass_centre", name="党群服务中心")
    OrganisationFactory(region_id="440106000000", kind="gov_department", name="天河区民政局")
    closed = OrganisationFactory(region_id="440106002000", kind="sw_station", is_active=False)
    return locals()


def test_units_at_a_level_inside_the_jurisdiction(tree, make_member):
    guangdong = make_member("dept_leader", "440000000000")
    tianhe = make_member("dept_staff", "440106000000")
    assert list(leading_units(fetched_by=guangdong, level=2)) == [tree["gz"], tree["qy"]]
    stations = list(leading_units(fetched_by=guangdong, level=4))
    assert stations == [tree["station"], tree["yd_station"]]  # no party centre, no closed one
    assert list(leading_units(fetched_by=guangdong, level=4, within=["441800000000"])) == [
        tree["yd_station"]
    ]
    # a subtree outside the jurisdiction adds nothing
    assert list(leading_units(fetched_by=tianhe, level=4, within=["441881"])) == []
    assert list(leading_units(fetched_by=tianhe, level=1)) == []
    assert list(leading_units(fetched_by=tianhe, level=9)) == []


def test_superior_unit_by_parent_or_by_region(tree):
    assert superior_unit(tree["th"]) == tree["gz"]
    assert superior_unit(tree["gz"]) == tree["gd"]
    assert superior_unit(tree["gd"]) == tree["central"]
    assert superior_unit(tree["central"]) is None
    # no parent recorded: the leading unit of the region above (英德 → 清远)
    assert superior_unit(tree["yd"]) == tree["qy"]
    # a station with no parent: its county's department
    assert superior_unit(tree["station"]) == tree["th"]
