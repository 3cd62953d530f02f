"""The ledger: balanced, immutable entries in whole fen; refusals write nothing; idempotency."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from shegong.funds import selectors, services
from shegong.funds.models import Account, AccountKind, EntryKind, JournalEntry, JournalLine
from shegong.funds.services import Line


def _counts():
    return JournalEntry.objects.count(), JournalLine.objects.count()


@pytest.fixture
def two_accounts(county_user, fund):
    a = fund(county_user, 1000)
    b = services.account_for(
        organisation=county_user.active_membership.organisation, source="local", purpose="elderly"
    )
    return a, b


def test_transfer_moves_money_and_balances_equal_lines(county_user, two_accounts):
    a, b = two_accounts
    entry = services.transfer_post(
        acting_user=county_user, from_account=a, to_account=b, amount=12_345, memo="划拨关爱经费"
    )
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.balance, b.balance) == (100_000 - 12_345, 12_345)
    assert entry.lines.count() == 2
    for account in (a, b):
        check = selectors.account_verify(account)
        assert check.ok, check


def test_unbalanced_entry_is_refused_and_writes_nothing(county_user, two_accounts):
    a, b = two_accounts
    before = _counts()
    with pytest.raises(ValidationError) as exc:
        services.entry_post(
            acting_user=county_user,
            lines=[Line(b, debit=500), Line(a, credit=400)],
            memo="错账",
        )
    assert "借贷不平衡" in str(exc.value)
    assert _counts() == before
    a.refresh_from_db()
    assert a.balance == 100_000


@pytest.mark.parametrize(
    ("amount", "message"),
    [(-500, "大于零"), (0, "大于零"), (12.5, "整数"), (Decimal("12.5"), "整数"), (True, "整数")],
)
def test_negative_zero_or_fractional_fen_is_refused(county_user, two_accounts, amount, message):
    a, b = two_accounts
    before = _counts()
    with pytest.raises(ValidationError) as exc:
        services.transfer_post(
            acting_user=county_user, from_account=a, to_account=b, amount=amount, memo="测试"
        )
    assert message in str(exc.value)
    assert _counts() == before


@pytest.mark.parametrize(
    ("text", "fen"), [("1,500.00", 150_000), ("0.01", 1), ("12", 1200), ("3.5", 350)]
)
def test_yuan_text_is_parsed_to_whole_fen(text, fen):
    assert services.parse_yuan(text) == fen


@pytest.mark.parametrize("text", ["0.001", "-3", "abc", "1e400", "NaN", "0"])
def test_bad_yuan_text_is_refused(text):
    with pytest.raises(ValidationError):
        services.parse_yuan(text)


def test_overdraft_is_refused_and_writes_nothing(county_user, two_accounts):
    a, b = two_accounts
    before = _counts()
    with pytest.raises(ValidationError) as exc:
        services.transfer_post(
            acting_user=county_user, from_account=a, to_account=b, amount=100_001, memo="超支"
        )
    assert "余额不足" in str(exc.value)
    assert _counts() == before


def test_funding_account_may_go_negative_but_holding_may_not(county_user, fund):
    account = fund(county_user, 50)
    funding = Account.objects.get(
        organisation=account.organisation, kind=AccountKind.FUNDING, source="local"
    )
    assert funding.balance == -5_000 and funding.allow_negative
    assert account.balance == 5_000 and not account.allow_negative


def test_posting_outside_jurisdiction_is_refused(county_user, other_county_user, fund):
    theirs = fund(other_county_user, 100)
    mine = services.account_for(
        organisation=county_user.active_membership.organisation, source="local"
    )
    before = _counts()
    with pytest.raises(ValidationError) as exc:
        services.transfer_post(
            acting_user=county_user, from_account=theirs, to_account=mine, amount=100, memo="挪用"
        )
    assert "不在您的辖区范围内" in str(exc.value)
    assert _counts() == before
    theirs.refresh_from_db()
    assert theirs.balance == 10_000


def test_same_idempotency_key_posts_once(county_user, two_accounts):
    a, b = two_accounts
    kwargs = dict(acting_user=county_user, from_account=a, to_account=b, amount=700, memo="重试")
    first = services.transfer_post(idempotency_key="k-1", **kwargs)
    again = services.transfer_post(idempotency_key="k-1", **kwargs)
    assert first.pk == again.pk and again.replayed
    a.refresh_from_db()
    assert a.balance == 100_000 - 700
    assert JournalEntry.objects.filter(kind=EntryKind.TRANSFER).count() == 1


def test_same_key_with_different_content_is_refused(county_user, two_accounts):
    a, b = two_accounts
    services.transfer_post(
        acting_user=county_user,
        from_account=a,
        to_account=b,
        amount=700,
        memo="x",
        idempotency_key="k-2",
    )
    with pytest.raises(ValidationError) as exc:
        services.transfer_post(
            acting_user=county_user,
            from_account=a,
            to_account=b,
            amount=900,
            memo="x",
            idempotency_key="k-2",
        )
    assert "幂等键" in str(exc.value)


def test_entries_are_immutable_and_corrected_by_reversal(county_user, two_accounts, make_member):
    a, b = two_accounts
    entry = services.transfer_post(
        acting_user=county_user, from_account=a, to_account=b, amount=2_000, memo="误记"
    )
    entry.memo = "改摘要"
    with pytest.raises(RuntimeError):
        entry.save()
    with pytest.raises(RuntimeError):
        entry.delete()
    with pytest.raises(RuntimeError):
        entry.lines.first().delete()
    reversal = services.entry_reverse(entry=entry, acting_user=county_user, reason="记错账户")
    assert reversal.reverses_id == entry.pk and reversal.kind == EntryKind.REVERSAL
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.balance, b.balance) == (100_000, 0)
    with pytest.raises(ValidationError):
        services.entry_reverse(entry=entry, acting_user=county_user, reason="再冲一次")
    assert selectors.account_verify(a).ok and selectors.account_verify(b).ok
