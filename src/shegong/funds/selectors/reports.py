"""Reports: budget execution per child region, flows between regions, home figures."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import F, Q, Sum
from django.db.models.functions import Substr

from shegong.core.regioncode import RegionCode
from shegong.core.scoping import PREFIX_LENGTH, jurisdiction_of
from shegong.funds import workflow
from shegong.funds.models import (
    Account,
    AccountKind,
    EntryKind,
    FundSource,
    JournalEntry,
    JournalLine,
    PlanRecipient,
    yuan,
)
from shegong.funds.selectors.plans import receipts_for
from shegong.regions.models import Region

# Reasons are declared in each module that reads unscoped (tests/core/test_unscoped_reads.py).
OWN_ROWS = (
    "Rows of an account, plan or recipient the caller already read through its scope; the "
    "ledger sees both sides of a transfer."
)


@dataclass
class ExecutionRow:
    region_code: str
    region_name: str
    source: str
    allocated: int = 0
    disbursed: int = 0
    confirmed: int = 0
    spent: int = 0

    @property
    def source_label(self) -> str:
        return str(FundSource(self.source).label) if self.source else "—"

    def cells(self) -> list[str]:
        return [yuan(self.allocated), yuan(self.disbursed), yuan(self.confirmed), yuan(self.spent)]


def _child_len(prefix: str) -> int:
    level = next((lvl for lvl, n in PREFIX_LENGTH.items() if n == len(prefix)), 0)
    return PREFIX_LENGTH.get(level + 1, 12)


def execution_report(*, fetched_by: Any, region_prefix: str | None = None) -> list[ExecutionRow]:
    """Budget execution per child region of the jurisdiction and fund source.

    allocated = approved plan amounts to units in that region; disbursed = disbursement entries
    received there (ledger); confirmed = the part of those whose receipt was confirmed; spent =
    debits to expense accounts there (ledger). One GROUP BY per figure, all by code prefix."""
    jurisdiction = jurisdiction_of(fetched_by)
    if jurisdiction.prefix == "-":
        return []
    prefix = region_prefix if region_prefix is not None else jurisdiction.prefix
    if not prefix.startswith(jurisdiction.prefix):
        return []
    child_len = _child_len(prefix)
    rows: dict[tuple[str, str], ExecutionRow] = {}

    def row(code: str, source: str) -> ExecutionRow:
        key = (code, source)
        if key not in rows:
            rows[key] = ExecutionRow(code, "", source)
        return rows[key]

    allocated = (
        PlanRecipient.objects.in_subtree(prefix)
        .filter(
            plan__resource="money",
            plan__status__in=[workflow.APPROVED, workflow.DISBURSED, workflow.CONFIRMED],
        )
        .annotate(child=Substr("region_code", 1, child_len))
        .values("child", "plan__source_account__source")
        .annotate(s=Sum("amount"))
        .order_by()
    )
    for r in allocated:
        row(r["child"], r["plan__source_account__source"] or "").allocated += r["s"] or 0
    # Disbursed and spent from one pass over the lines (the national report reads every line of
    # the ledger: one scan, not two); the reversals and the confirmed part below by index.
    disbursement = Q(
        account_kind=AccountKind.HOLDING, entry_kind=EntryKind.DISBURSEMENT, debit__gt=0
    )
    expense = Q(account_kind=AccountKind.EXPENSE)
    lines = (
        JournalLine.objects.in_subtree(prefix)
        .filter(disbursement | expense)
        .annotate(child=Substr("region_code", 1, child_len))
        .values("child", "source")
        .annotate(
            disbursed=Sum("debit", filter=disbursement),
            spent_d=Sum("debit", filter=expense),
            spent_c=Sum("credit", filter=expense),
        )
        .order_by()
    )
    for r in lines:
        found = row(r["child"], r["source"])
        found.disbursed += r["disbursed"] or 0
        found.spent += (r["spent_d"] or 0) - (r["spent_c"] or 0)
    # Confirmed: from the (few) confirmed plan rows to their entries to their lines, each step
    # by index (a join from the lines' side would visit every disbursement line).
    confirmed_rows = (
        PlanRecipient.objects.in_subtree(prefix)
        .filter(confirmed_at__isnull=False)
        .values_list("pk", flat=True)
    )
    recipient_ids = list(confirmed_rows)
    entry_ids: list[int] = []
    for start in range(0, len(recipient_ids), 5000):
        entry_ids += (
            JournalEntry.objects.unscoped(reason=OWN_ROWS)
            .filter(
                plan_recipient_id__in=recipient_ids[start : start + 5000],
                kind=EntryKind.DISBURSEMENT,
            )
            .values_list("pk", flat=True)
        )
    confirmed = []
    for start in range(0, len(entry_ids), 5000):
        confirmed += list(
            JournalLine.objects.unscoped(reason=OWN_ROWS)
            .filter(
                entry_id__in=entry_ids[start : start + 5000],
                account_kind=AccountKind.HOLDING,
                debit__gt=0,
            )
            .annotate(child=Substr("region_code", 1, child_len))
            .values("child", "source")
            .annotate(s=Sum("debit"))
            .order_by()
        )
    for r in confirmed:
        row(r["child"], r["source"]).confirmed += r["s"] or 0
    reversed_flows = (
        JournalLine.objects.in_subtree(prefix)
        .filter(
            account_kind=AccountKind.HOLDING,
            entry_kind=EntryKind.REVERSAL,
            entry__reverses__kind=EntryKind.DISBURSEMENT,
            credit__gt=0,
        )
        .annotate(child=Substr("region_code", 1, child_len))
        .values("child", "source")
        .annotate(s=Sum("credit"))
        .order_by()
    )
    for r in reversed_flows:
        row(r["child"], r["source"]).disbursed -= r["s"] or 0
    codes = {RegionCode.from_prefix(code) for code, _s in rows}
    names = dict(Region.objects.filter(code__in=codes).values_list("code", "name"))
    out = []
    for (code, _source), r in sorted(rows.items()):
        full = RegionCode.from_prefix(code)
        r.region_code = full
        r.region_name = names.get(full, full) if code != prefix else names.get(full, "本级")
        if code == prefix:
            r.region_name = f"{r.region_name}（本级）"
        out.append(r)
    return out


def sankey(*, fetched_by: Any, depth: int = 4) -> dict[str, list]:
    """Flows of money between regions (disbursements, transfers, pairings) inside or touching the
    jurisdiction, down to townships: ECharts nodes and links, amounts in yuan."""
    jurisdiction = jurisdiction_of(fetched_by)
    if jurisdiction.prefix == "-":
        return {"nodes": [], "links": []}
    flows = (
        JournalEntry.objects.touching(jurisdiction.prefix)
        .filter(kind__in=[EntryKind.DISBURSEMENT, EntryKind.TRANSFER, EntryKind.PAIRING])
        .exclude(region_code=F("target_region"))
        .values("region_code", "target_region")
        .annotate(s=Sum("amount"))
        .order_by()
    )
    flows = [f for f in flows if f["s"]]
    codes = {f["region_code"] for f in flows} | {f["target_region"] for f in flows}
    names = dict(Region.objects.filter(code__in=codes).values_list("code", "name"))
    names["000000000000"] = "中央"
    nodes, links = [], []
    seen = set()
    for f in flows:
        a = names.get(f["region_code"], f["region_code"])
        b = names.get(f["target_region"], f["target_region"])
        if a == b:
            continue
        for n in (a, b):
            if n not in seen:
                seen.add(n)
                nodes.append({"name": n})
        links.append({"source": a, "target": b, "value": round(f["s"] / 100, 2)})
    return {"nodes": nodes, "links": links}


# ---- home --------------------------------------------------------------------------------------


def home_figures(*, fetched_by: Any) -> list:
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from shegong.core.figures import Kind
    from shegong.core.permissions import has_perm
    from shegong.core.registry import Figure

    if not has_perm(fetched_by, "funds.view"):
        return []
    held = (
        Account.objects.visible_to(fetched_by)
        .filter(kind=AccountKind.HOLDING)
        .aggregate(s=Sum("balance"))["s"]
        or 0
    )
    pending = receipts_for(fetched_by=fetched_by, pending_only=True).count()
    figures = [
        Figure(
            label=_("辖区资金余额"),
            value=held,
            url=reverse("funds:index"),
            order=60,
            kind=Kind.FEN,
        )
    ]
    if pending:
        figures.append(
            Figure(label=_("待确认到账"), value=pending, url=reverse("funds:receipts"), order=61)
        )
    return figures
