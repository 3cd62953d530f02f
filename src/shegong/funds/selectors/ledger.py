"""Reads of the ledger: accounts, entries and their lines, balances verified."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet, Sum

from shegong.core.scoping import get_visible_or_404, jurisdiction_of
from shegong.funds.models import (
    Account,
    AccountKind,
    FundSource,
    JournalEntry,
    JournalLine,
)

OWN_ROWS = (
    "Rows of an account, plan or recipient the caller already read through its scope; the "
    "ledger sees both sides of a transfer."
)


def account_list(*, fetched_by: Any, kind: str = "", source: str = "", q: str = "") -> QuerySet:
    accounts = Account.objects.visible_to(fetched_by)
    if kind:
        accounts = accounts.filter(kind=kind)
    if source:
        accounts = accounts.filter(source=source)
    if q:
        accounts = accounts.filter(Q(name__icontains=q) | Q(region_id=q))
    return accounts.select_related("organisation")


def get_account_for(*, fetched_by: Any, pk: int) -> Account:
    return get_visible_or_404(Account.objects.select_related("organisation"), fetched_by, pk=pk)


def account_lines(account: Account) -> QuerySet:
    return (
        JournalLine.objects.unscoped(reason=OWN_ROWS)
        .filter(account=account)
        .select_related("entry")
        .order_by("-id")
    )


def account_balance(account_id: int) -> int:
    """The balance derived from the lines (the stored running total must agree)."""
    sums = (
        JournalLine.objects.unscoped(reason=OWN_ROWS)
        .filter(account_id=account_id)
        .aggregate(d=Sum("debit"), c=Sum("credit"))
    )
    return (sums["d"] or 0) - (sums["c"] or 0)


def entry_list(*, fetched_by: Any, kind: str = "") -> QuerySet:
    """Entries on which the user's jurisdiction paid or received."""
    jurisdiction = jurisdiction_of(fetched_by)
    if jurisdiction.prefix == "-":
        return JournalEntry.objects.none()
    entries = JournalEntry.objects.touching(jurisdiction.prefix)
    if kind:
        entries = entries.filter(kind=kind)
    return entries


def get_entry_for(*, fetched_by: Any, pk: int) -> JournalEntry:
    from django.http import Http404

    jurisdiction = jurisdiction_of(fetched_by)
    if jurisdiction.prefix == "-":
        raise Http404
    try:
        return JournalEntry.objects.touching(jurisdiction.prefix).get(pk=pk)
    except (JournalEntry.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def postable_accounts(*, fetched_by: Any) -> QuerySet:
    return (
        Account.objects.visible_to(fetched_by)
        .filter(kind=AccountKind.HOLDING)
        .exclude(source=FundSource.CHARITY)
        .select_related("organisation")
        .order_by("region_id", "name")
    )


def entry_lines(entry: JournalEntry) -> QuerySet:
    return entry.lines.select_related("account").order_by("id")


@dataclass
class Verification:
    account: Account
    stored: int
    from_lines: int
    last_running: int
    ok: bool


def account_verify(account: Account) -> Verification:
    """The stored running total must equal the sum of the lines and the last line's balance."""
    account.refresh_from_db(fields=["balance"])
    sums = (
        JournalLine.objects.unscoped(reason=OWN_ROWS)
        .filter(account=account)
        .aggregate(d=Sum("debit"), c=Sum("credit"))
    )
    from_lines = (sums["d"] or 0) - (sums["c"] or 0)
    last = (
        JournalLine.objects.unscoped(reason=OWN_ROWS)
        .filter(account=account)
        .order_by("-id")
        .values_list("balance_after", flat=True)
        .first()
        or 0
    )
    return Verification(
        account=account,
        stored=account.balance,
        from_lines=from_lines,
        last_running=last,
        ok=account.balance == from_lines == last,
    )
