"""Accounts opened on first use; budget appropriations and spending."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction

from shegong.funds.amounts import check_fen
from shegong.funds.models import (
    Account,
    AccountKind,
    EntryKind,
    FundSource,
    JournalEntry,
    Purpose,
)
from shegong.funds.services.ledger import Line, entry_post
from shegong.orgs.models import Organisation

# Reasons are declared in each module that reads unscoped (tests/core/test_unscoped_reads.py).
LEDGER = (
    "Ledger internals on rows the caller already read through its scope (locks in "
    "primary-key order, running totals, reversals, the accounts of an authorised "
    "organisation); a transfer touches both sides."
)

SOURCE_LABEL_SHORT = {
    FundSource.CENTRAL: "中央转移支付",
    FundSource.PROVINCIAL: "省级转移支付",
    FundSource.LOCAL: "本级财政",
    FundSource.CHARITY: "慈善捐赠",
    FundSource.OTHER: "其他资金",
}


def account_for(
    *, organisation: Organisation, source: str, kind: str = AccountKind.HOLDING, purpose: str = ""
) -> Account:
    """The organisation's account for a source/purpose, opened on first use."""
    account = (
        Account.objects.unscoped(reason=LEDGER)
        .filter(organisation=organisation, kind=kind, source=source, purpose=purpose)
        .first()
    )
    if account is not None:
        return account
    suffix = {AccountKind.HOLDING: "", AccountKind.FUNDING: "·来源", AccountKind.EXPENSE: "·支出"}
    name = f"{organisation.name}·{SOURCE_LABEL_SHORT[source]}"
    if purpose:
        name += f"·{Purpose(purpose).label}"
    name += suffix[kind]
    account = Account(
        organisation=organisation,
        region_id=organisation.region_id,
        kind=kind,
        source=source,
        purpose=purpose,
        name=name,
        allow_negative=kind == AccountKind.FUNDING,
    )
    try:
        with transaction.atomic():
            account.save()
    except IntegrityError:
        account = Account.objects.unscoped(reason=LEDGER).get(
            organisation=organisation, kind=kind, source=source, purpose=purpose
        )
    return account


def source_for_transfer(from_region: str, to_region: str, own_source: str) -> str:
    """Money keeps its source when passed down: central money stays central money."""
    return own_source


def appropriation_post(
    *,
    acting_user: Any,
    organisation: Organisation,
    source: str,
    amount: int,
    memo: str,
    purpose: str = "",
    posted_at=None,
    idempotency_key: str | None = None,
) -> JournalEntry:
    """Budget money arrives in an organisation's holding account from its funding account."""
    funding = account_for(organisation=organisation, source=source, kind=AccountKind.FUNDING)
    holding = account_for(organisation=organisation, source=source, purpose=purpose)
    return entry_post(
        acting_user=acting_user,
        lines=[Line(holding, debit=check_fen(amount)), Line(funding, credit=amount)],
        memo=memo,
        kind=EntryKind.APPROPRIATION,
        posted_at=posted_at,
        idempotency_key=idempotency_key,
    )


def spend_post(
    *,
    acting_user: Any,
    account: Account,
    amount: int,
    memo: str,
    posted_at=None,
    idempotency_key: str | None = None,
) -> JournalEntry:
    """Money spent on services: from a holding account to the organisation's expense account."""
    expense = account_for(
        organisation=account.organisation,
        source=account.source,
        kind=AccountKind.EXPENSE,
        purpose=account.purpose,
    )
    return entry_post(
        acting_user=acting_user,
        lines=[Line(expense, debit=check_fen(amount)), Line(account, credit=amount)],
        memo=memo,
        kind=EntryKind.SPEND,
        posted_at=posted_at,
        idempotency_key=idempotency_key,
    )
