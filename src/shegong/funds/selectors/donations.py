"""Reads of paired assistance and donations: delivered amounts, traces, the public disclosure."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet, Sum
from django.shortcuts import get_object_or_404

from shegong.core.scoping import get_visible_or_404
from shegong.funds.models import (
    AccountKind,
    Donation,
    DonationUse,
    EntryKind,
    FundSource,
    JournalEntry,
    JournalLine,
    Pairing,
    Purpose,
    yuan,
)
from shegong.orgs.models import Organisation

# Reasons are declared in each module that reads unscoped (tests/core/test_unscoped_reads.py).
OWN_ROWS = (
    "Rows of an account, plan or recipient the caller already read through its scope; the "
    "ledger sees both sides of a transfer."
)

IDEMPOTENCY = (
    "Idempotency keys are stored per poster (prefixed with the poster's id): only the "
    "caller's own earlier entry can be found."
)


PUBLIC_DISCLOSURE = (
    "The public charity disclosure of an organisation (Charity Law, Arts. 71-73): ledger "
    "sums and donations under donors' public names."
)


def pairing_entries(pairing: Pairing) -> QuerySet:
    return pairing.entries.order_by("-posted_at")


def public_disclosures(*, region_prefix: str = "") -> QuerySet:
    """Active organisations that publish a charity disclosure (they have received a donation),
    inside a region (a code prefix; "" for the whole country), by region and name: the portal
    links each one's transparency page."""
    from shegong.core.scoping import code_range

    orgs = Organisation.objects.unscoped(reason=PUBLIC_DISCLOSURE).filter(
        is_active=True,
        pk__in=Donation.objects.unscoped(reason=PUBLIC_DISCLOSURE).values("organisation_id"),
    )
    if region_prefix:
        low, high = code_range(region_prefix)
        orgs = orgs.filter(region_id__gte=low, region_id__lte=high)
    return orgs.only("id", "name", "region_id").order_by("region_id", "name", "id")


def public_organisation(org_id: int):
    """An active organisation whose charity disclosure anyone may read (404 otherwise)."""
    return get_object_or_404(
        Organisation.objects.unscoped(reason=PUBLIC_DISCLOSURE).select_related("region"),
        pk=org_id,
        is_active=True,
    )


# ---- pairings and donations --------------------------------------------------------------------


def pairing_list(*, fetched_by: Any) -> QuerySet:
    return Pairing.objects.visible_to(fetched_by).select_related("giver", "receiver")


def get_pairing_for(*, fetched_by: Any, pk: int) -> Pairing:
    return get_visible_or_404(
        Pairing.objects.select_related("giver", "receiver"), fetched_by, pk=pk
    )


def donation_list(*, fetched_by: Any, purpose: str | None = None) -> QuerySet:
    donations = Donation.objects.visible_to(fetched_by).select_related("donor", "organisation")
    if purpose is not None and purpose != "all":
        donations = donations.filter(restricted_purpose=purpose)
    return donations.annotate(used=Sum("uses__amount"))


def get_donation_for(*, fetched_by: Any, pk: int) -> Donation:
    return get_visible_or_404(
        Donation.objects.select_related("donor", "organisation", "account"), fetched_by, pk=pk
    )


@dataclass
class Trace:
    donation: Donation
    entries: list[JournalEntry]
    uses: list[DonationUse]
    used: int
    remaining: int


def donation_trace(donation: Donation) -> Trace:
    """Forward: the donation's receipt entry, each use, its spend entry and beneficiary."""
    uses = list(donation.uses.select_related("entry").order_by("used_on", "id"))
    entries = list(donation.entries.order_by("posted_at", "id"))
    used = sum(u.amount for u in uses)
    return Trace(donation, entries, uses, used, donation.amount - used)


def trace_back(entry: JournalEntry) -> dict[str, Any]:
    """Backward: from an entry to the donation, plan or pairing that explains it."""
    use = getattr(entry, "donation_use", None) if hasattr(entry, "donation_use") else None
    return {
        "donation": entry.donation,
        "use": use,
        "plan_recipient": entry.plan_recipient,
        "pairing": entry.pairing,
        "reverses": entry.reverses,
    }


def pairing_delivered(pairing: Pairing) -> int:
    """Delivered against the agreement = the pairing's ledger entries (net of reversals)."""
    total = pairing.entries.aggregate(s=Sum("amount"))["s"] or 0
    reversed_total = (
        JournalEntry.objects.unscoped(reason=OWN_ROWS)
        .filter(reverses__pairing=pairing)
        .aggregate(s=Sum("amount"))["s"]
        or 0
    )
    return total - reversed_total


def donation_by_key(*, fetched_by: Any, idempotency_key: str) -> Donation | None:
    """The caller's own donation posted earlier under this idempotency key (None: none yet)."""
    key = f"{getattr(fetched_by, 'pk', None) or 0}:{idempotency_key}"[:100]
    entry = (
        JournalEntry.objects.unscoped(reason=IDEMPOTENCY)
        .filter(idempotency_key=key)
        .select_related("donation")
        .first()
    )
    return entry.donation if entry is not None else None


def donation_used(donation: Donation) -> int:
    return donation.uses.aggregate(s=Sum("amount"))["s"] or 0


# ---- transparency (public) ---------------------------------------------------------------------


@dataclass
class Transparency:
    received: int
    used: int
    balance: int
    by_purpose: list[dict[str, Any]] = field(default_factory=list)
    donations: list[Donation] = field(default_factory=list)


def transparency_of(organisation) -> Transparency:
    """Charity figures computed from the ledger: debits to the organisation's charity holding
    accounts from donation entries (received), credits by spend entries (used), the balance."""
    lines = JournalLine.objects.unscoped(reason=PUBLIC_DISCLOSURE).filter(
        account__organisation=organisation,
        account__kind=AccountKind.HOLDING,
        account__source=FundSource.CHARITY,
    )
    rows = (
        lines.values("account__purpose", "entry_kind")
        .annotate(d=Sum("debit"), c=Sum("credit"))
        .order_by()
    )
    per = defaultdict(lambda: {"received": 0, "used": 0, "balance": 0})
    for row in rows:
        bucket = per[row["account__purpose"]]
        if row["entry_kind"] == EntryKind.DONATION:
            bucket["received"] += (row["d"] or 0) - (row["c"] or 0)
        elif row["entry_kind"] == EntryKind.SPEND:
            bucket["used"] += (row["c"] or 0) - (row["d"] or 0)
        bucket["balance"] += (row["d"] or 0) - (row["c"] or 0)
    by_purpose = [
        {"purpose": Purpose(p).label, **v, **{f"{k}_yuan": yuan(x) for k, x in v.items()}}
        for p, v in sorted(per.items())
    ]
    donations = list(
        Donation.objects.unscoped(reason=PUBLIC_DISCLOSURE)
        .filter(organisation=organisation)
        .select_related("donor")
        .annotate(used=Sum("uses__amount"))
        .order_by("-received_on", "-id")[:50]
    )
    return Transparency(
        received=sum(v["received"] for v in per.values()),
        used=sum(v["used"] for v in per.values()),
        balance=sum(v["balance"] for v in per.values()),
        by_purpose=by_purpose,
        donations=donations,
    )
