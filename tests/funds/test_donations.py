"""Done-when 5: restricted donations stay within their restriction, the trace is complete, and
the public transparency figures equal the ledger."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db.models import Sum

from shegong.funds import selectors, services
from shegong.funds.models import AccountKind, DonationUse, JournalEntry, JournalLine


@pytest.fixture
def donation(county_user):
    org = county_user.active_membership.organisation
    donor = services.donor_create(
        acting_user=county_user, kind="organisation", name="广州市爱心企业有限公司"
    )
    return services.donation_receive(
        acting_user=county_user,
        organisation=org,
        donor=donor,
        kind="money",
        amount=50_000_00,
        received_on=date(2026, 3, 1),
        restricted_purpose="elderly",
        restricted_region="440106",
        restricted_group="独居老人",
    )


def _use(user, donation, **overrides):
    data = dict(
        acting_user=user,
        donation=donation,
        target="assistance",
        purpose="elderly",
        beneficiary_region="440106001000",
        beneficiary_group="独居老人",
        amount=1_000_00,
        description="独居老人助餐",
        used_on=date(2026, 3, 5),
    )
    data.update(overrides)
    return services.donation_use(**data)


def test_receipt_number_and_ledger_posting(donation):
    assert donation.receipt_number.startswith("JZ2026-440106-")
    assert donation.account.purpose == "elderly"
    donation.account.refresh_from_db()
    assert donation.account.balance == 50_000_00


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"purpose": "children"}, "purpose"),
        ({"beneficiary_region": "441881000000"}, "beneficiary_region"),
        ({"beneficiary_group": "困境儿童"}, "beneficiary_group"),
        ({"amount": 50_000_01}, "amount"),
    ],
)
def test_spending_outside_the_restriction_or_amount_is_refused(
    county_user, donation, overrides, field
):
    before = (JournalEntry.objects.count(), DonationUse.objects.count())
    with pytest.raises(ValidationError) as exc:
        _use(county_user, donation, **overrides)
    assert field in exc.value.message_dict
    assert (JournalEntry.objects.count(), DonationUse.objects.count()) == before


def test_uses_cannot_together_exceed_the_donation(county_user, donation):
    _use(county_user, donation, amount=30_000_00)
    with pytest.raises(ValidationError) as exc:
        _use(county_user, donation, amount=20_000_01)
    assert "超出捐赠余额" in str(exc.value)
    _use(county_user, donation, amount=20_000_00)
    donation.account.refresh_from_db()
    assert donation.account.balance == 0


def test_trace_from_donation_to_assistance_and_back(county_user, donation):
    first = _use(
        county_user,
        donation,
        amount=2_000_00,
        record_ref="帮扶-2026-0001",
        beneficiary_name="李*英",
    )
    second = _use(
        county_user, donation, amount=3_000_00, target="project", description="长者饭堂项目"
    )
    trace = selectors.donation_trace(donation)
    assert [u.pk for u in trace.uses] == [first.pk, second.pk]
    assert trace.used == 5_000_00 and trace.remaining == 45_000_00
    # every use has its spend entry, and each entry leads back to the donation
    for use in trace.uses:
        back = selectors.trace_back(use.entry)
        assert back["donation"] == donation and back["use"] == use
    spent = JournalLine.objects.filter(
        account__organisation=donation.organisation, account_kind=AccountKind.EXPENSE
    ).aggregate(s=Sum("debit"))["s"]
    assert spent == trace.used


def test_public_transparency_totals_equal_the_ledger(client, county_user, donation):
    _use(county_user, donation, amount=7_500_00)
    org = donation.organisation
    t = selectors.transparency_of(org)
    holding = org.fund_accounts.filter(kind=AccountKind.HOLDING, source="charity")
    assert t.balance == sum(a.balance for a in holding)
    assert t.received == 50_000_00 and t.used == 7_500_00
    response = client.get(f"/funds/public/{org.pk}/")  # no login
    assert response.status_code == 200
    html = response.content.decode()
    assert "50,000.00" in html and "7,500.00" in html and "42,500.00" in html
    assert "广州市爱心企业有限公司" in html


def test_goods_donation_needs_a_description(county_user):
    org = county_user.active_membership.organisation
    donor = services.donor_create(acting_user=county_user, kind="person", name="王先生")
    with pytest.raises(ValidationError):
        services.donation_receive(
            acting_user=county_user,
            organisation=org,
            donor=donor,
            kind="goods",
            amount=100_00,
            received_on=date(2026, 1, 1),
        )


def test_invalid_credit_code_is_refused(county_user):
    with pytest.raises(ValidationError) as exc:
        services.donor_create(
            acting_user=county_user,
            kind="organisation",
            name="某公司",
            credit_code="91440101MA5CXXXXXX",
        )
    assert "credit_code" in exc.value.message_dict


def test_charity_money_cannot_leave_by_plain_transfer(county_user, donation):
    """Moving a restricted donation with a manual transfer would escape its restriction."""
    other = services.account_for(organisation=donation.organisation, source="local")
    before = JournalEntry.objects.count()
    with pytest.raises(ValidationError) as exc:
        services.transfer_post(
            acting_user=county_user,
            from_account=donation.account,
            to_account=other,
            amount=100_00,
            memo="挪用捐款",
        )
    assert "捐赠使用" in str(exc.value)
    assert JournalEntry.objects.count() == before
