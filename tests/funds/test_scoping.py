"""Done-when 6: a user of another region can neither see nor move this region's money."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from shegong.funds import selectors, services
from shegong.funds.models import JournalEntry


@pytest.fixture
def tianhe_money(county_user, fund):
    account = fund(county_user, 2_000)
    entry = JournalEntry.objects.filter(lines__account=account).first()
    donor = services.donor_create(acting_user=county_user, kind="person", name="陈女士")
    donation = services.donation_receive(
        acting_user=county_user,
        organisation=county_user.active_membership.organisation,
        donor=donor,
        kind="money",
        amount=500_00,
        received_on=date(2026, 2, 1),
    )
    return account, entry, donation


def test_other_region_sees_nothing_in_lists(other_county_user, tianhe_money):
    account, entry, donation = tianhe_money
    assert account not in selectors.account_list(fetched_by=other_county_user)
    assert entry not in selectors.entry_list(fetched_by=other_county_user)
    assert donation not in selectors.donation_list(fetched_by=other_county_user)
    assert selectors.execution_report(fetched_by=other_county_user, region_prefix="440106") == []


def test_other_region_gets_404_on_pages_and_api(login, other_county_user, tianhe_money):
    account, entry, donation = tianhe_money
    client = login(other_county_user)
    for url in (
        f"/funds/accounts/{account.pk}/",
        f"/funds/entries/{entry.pk}/",
        f"/funds/donations/{donation.pk}/",
        f"/api/v1/funds/accounts/{account.pk}",
        f"/api/v1/funds/entries/{entry.pk}",
        f"/api/v1/funds/donations/{donation.pk}/trace",
    ):
        assert client.get(url).status_code == 404, url
    listing = client.get("/funds/").content.decode()
    assert account.name not in listing


def test_other_region_cannot_move_the_money(login, other_county_user, tianhe_money, fund):
    account, entry, donation = tianhe_money
    theirs = fund(other_county_user, 10)
    with pytest.raises(ValidationError):
        services.transfer_post(
            acting_user=other_county_user,
            from_account=account,
            to_account=theirs,
            amount=100,
            memo="越权",
        )
    with pytest.raises(ValidationError):
        services.entry_reverse(entry=entry, acting_user=other_county_user, reason="越权")
    with pytest.raises(ValidationError):
        services.donation_use(
            acting_user=other_county_user,
            donation=donation,
            target="project",
            purpose="elderly",
            beneficiary_region="441881000000",
            amount=100,
            description="越权",
            used_on=date(2026, 2, 2),
        )
    client = login(other_county_user)
    response = client.post(
        "/api/v1/funds/entries",
        {
            "memo": "越权",
            "lines": [
                {"account_id": theirs.pk, "debit": 100},
                {"account_id": account.pk, "credit": 100},
            ],
        },
        content_type="application/json",
    )
    assert response.status_code in (400, 422)
    account.refresh_from_db()
    assert account.balance == 2_000_00


def test_city_cannot_confirm_another_citys_receipt(province_leader, fund, make_member):
    fund(province_leader, 1_000_000, source="provincial")
    plan = services.plan_create(
        acting_user=province_leader, title="方案", period=2026, pot=100_000_00, source="provincial"
    )
    for action in ("submit", "approve"):
        getattr(services, f"plan_{action}")(plan=plan, acting_user=province_leader)
    services.plan_disburse(plan=plan, acting_user=province_leader)
    shenzhen = make_member("dept_leader", "440300000000")
    gz_row = plan.recipients.get(region_code="440100000000")
    with pytest.raises(ValidationError):
        services.receipt_confirm(recipient=gz_row, acting_user=shenzhen)
    assert not selectors.receipts_for(fetched_by=shenzhen).filter(pk=gz_row.pk).exists()
    # the city cannot see the province's plan itself
    from django.http import Http404

    with pytest.raises(Http404):
        selectors.get_plan_for(fetched_by=shenzhen, pk=plan.pk)
