from datetime import date

import pytest

from shegong.cases import services as cases
from shegong.privacy import services
from tests.people.conftest import make_resident, station_worker  # noqa: F401 - fixtures

OTHER_VILLAGE = "441881001001"  # 英德市


@pytest.fixture
def supervisor(make_member, station_worker):  # noqa: F811
    from tests.factories import MembershipFactory

    membership = MembershipFactory(
        organisation=station_worker.active_membership.organisation, role="supervisor"
    )
    user = membership.user
    user.active_membership = membership
    return user


@pytest.fixture
def other_county_worker(make_member):
    return make_member("station_worker", "441881001000", kind="sw_station", name="英德社工站")


@pytest.fixture
def other_county_supervisor(make_member):
    return make_member("supervisor", "441881001000", kind="sw_station", name="英德社工站二")


@pytest.fixture
def partner(make_member):
    """Staff of a social work organisation in 天河区 (outside the public administration)."""
    return make_member(
        "org_staff", "440106000000", kind="sw_organisation", name="天河区向日葵社会工作服务中心"
    )


@pytest.fixture
def record_consent(station_worker):  # noqa: F811
    def record(resident, purpose="referral", by=None, **kw):
        data = {
            "basis": "consent",
            "method": "written",
            "given_by": "self",
            "given_on": date.today(),
            **kw,
        }
        return services.consent_record(
            acting_user=by or station_worker, resident=resident, purpose=purpose, **data
        )

    return record


@pytest.fixture
def open_case(station_worker):  # noqa: F811
    def make(resident):
        return cases.case_open(
            acting_user=station_worker, resident=resident, title="康复转介", source="self"
        )

    return make
