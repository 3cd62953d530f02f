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
            posted_by=None,
            organisation=org,
            source=source,
            amount=amount_yuan * 100,
            memo="年初预算",
            purpose=purpose,
        )
        return services.account_for(organisation=org, source=source, purpose=purpose)

    return do
