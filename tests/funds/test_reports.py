"""The budget execution report (预算执行报表) adds up to the ledger: disbursed (less reversed
disbursements) and spent per child region and fund source, as an independent sum over the
journal lines gives them — for the central user (by province) and a provincial user (by city)."""

from __future__ import annotations

from collections import defaultdict

import pytest

from shegong.funds import selectors, services
from shegong.funds.models import AccountKind, EntryKind, JournalLine
from shegong.funds.services.ledger import Line
from tests.funds.test_demo import _user


@pytest.fixture
def ledger(demo_loaded):
    # a disbursement posted by hand between two holding accounts and taken back, so that the
    # report's reversal path has a row to subtract
    central = _user("central")
    plan_line = JournalLine.objects.filter(
        entry__kind=EntryKind.DISBURSEMENT, account_kind=AccountKind.HOLDING
    )
    payer = plan_line.filter(credit__gt=0).first().account
    receiver = plan_line.filter(debit__gt=0).first().account
    entry = services.entry_post(
        acting_user=central,
        lines=[Line(receiver, debit=300_00), Line(payer, credit=300_00)],
        memo="手工拨付",
        kind=EntryKind.DISBURSEMENT,
    )
    services.entry_reverse(entry=entry, acting_user=central, reason="测试冲正")


def _expected(prefix: str, child_len: int) -> dict[tuple[str, str], tuple[int, int]]:
    disbursed: dict = defaultdict(int)
    spent: dict = defaultdict(int)
    lines = JournalLine.objects.filter(region_code__startswith=prefix).select_related(
        "entry", "entry__reverses"
    )
    for line in lines:  # a test's few hundred lines, summed one by one on purpose
        key = (line.region_code[:child_len], line.source)
        if line.account_kind == AccountKind.HOLDING and line.debit > 0:
            if line.entry.kind == EntryKind.DISBURSEMENT:
                disbursed[key] += line.debit
        if line.account_kind == AccountKind.HOLDING and line.credit > 0:
            reversed_entry = line.entry.reverses
            if (
                line.entry.kind == EntryKind.REVERSAL
                and reversed_entry is not None
                and reversed_entry.kind == EntryKind.DISBURSEMENT
            ):
                disbursed[key] -= line.credit
        if line.account_kind == AccountKind.EXPENSE:
            spent[key] += line.debit - line.credit
    keys = {k for k, v in disbursed.items() if v} | {k for k, v in spent.items() if v}
    return {k: (disbursed[k], spent[k]) for k in keys}


@pytest.mark.parametrize(
    ("username", "prefix", "child_len"), [("central", "", 2), ("guangdong", "44", 4)]
)
def test_execution_report_adds_up_to_the_ledger(ledger, username, prefix, child_len):
    rows = selectors.execution_report(fetched_by=_user(username))
    got = {
        (r.region_code[:child_len], r.source): (r.disbursed, r.spent)
        for r in rows
        if r.disbursed or r.spent
    }
    expected = _expected(prefix, child_len)
    assert expected, "the demo ledger has disbursements and spending"
    assert got == expected
    assert any(s for _d, s in got.values()), "some spending is reported"
