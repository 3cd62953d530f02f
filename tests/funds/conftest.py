"""Fixtures of the funds tests: departments with money in their accounts."""

from __future__ import annotations

import pytest

from shegong.funds import services
from shegong.funds.models import FundSource


@pytest.fixture
def fund(db):
    """`fund(user_or_org, yuan, source=...)` → the organisation's holding account, topped up from
    its funding account (a budget appropriation)."""

    def do(owner, amount_yuan: int, source: str = FundSource.LOCAL, purpose: str = ""):
        org = owner.active_membership.organisation if hasattr(owner, "active_membership") else owner
        services.appropriation_post(
            acting_user=None,
            organisation=org,
            source=source,
            amount=amount_yuan * 100,
            memo="年初预算",
            purpose=purpose,
        )
        return services.account_for(organisation=org, source=source, purpose=purpose)

    return do


@pytest.fixture
def province_leader(make_member):
    """The Guangdong department's leader, with a department in every Guangdong city."""
    from shegong.orgs.models import Organisation
    from shegong.regions.models import Region

    leader = make_member("dept_leader", "440000000000", name="广东省委社会工作部")
    cities = Region.objects.filter(parent_id="440000000000", level=2).order_by("code")
    Organisation.objects.bulk_create(
        [
            Organisation(name=f"{c.name}委社会工作部", kind="sw_department", region_id=c.code)
            for c in cities
        ]
    )
    return leader


@pytest.fixture
def city_leader(db):
    """A leader of the 广州市 department created by `province_leader`."""
    from shegong.orgs.models import Organisation
    from tests.factories import MembershipFactory

    org = Organisation.objects.get(region_id="440100000000", kind="sw_department")
    membership = MembershipFactory(organisation=org, role="dept_leader")
    user = membership.user
    user.active_membership = membership
    return user


@pytest.fixture
def demo_loaded(db):
    """The funds demo (with the organisations and accounts it needs); the loaders' output."""
    import io

    from shegong.accounts import demo as accounts_demo
    from shegong.funds import demo
    from shegong.orgs import demo as orgs_demo

    out = io.StringIO()
    orgs_demo.load(stdout=out)
    accounts_demo.load(stdout=out)
    demo.load(stdout=out)
    return out
