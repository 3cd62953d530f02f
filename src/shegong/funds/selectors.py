"""Reads of the funds app: what a user may see, balances, reports, flows, traces."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import Substr
from django.shortcuts import get_object_or_404

from shegong.core.regioncode import RegionCode, code_range
from shegong.core.scoping import PREFIX_LENGTH, get_visible_or_404, jurisdiction_of
from shegong.funds import workflow
from shegong.funds.models import (
    Account,
    AccountKind,
    AllocationPlan,
    Donation,
    DonationUse,
    EntryKind,
    FundSource,
    JournalEntry,
    JournalLine,
    Pairing,
    PlanRecipient,
    PopulationFigure,
    Purpose,
    yuan,
)
from shegong.orgs.models import Kind, Organisation
from shegong.regions.models import Region

OWN_ROWS = (
    "Rows of an account, plan or recipient the caller already read through its scope; the "
    "ledger sees both sides of a transfer."
)

PUBLIC_DISCLOSURE = (
    "The public charity disclosure of an organisation (Charity Law, Arts. 71-73): ledger "
    "sums and donations under donors' public names."
)

# ---- accounts and entries ----------------------------------------------------------------------


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


# ---- plans -------------------------------------------------------------------------------------


def plan_list(*, fetched_by: Any, status: str = "") -> QuerySet:
    plans = AllocationPlan.objects.visible_to(fetched_by).select_related("organisation")
    if status:
        plans = plans.filter(status=status)
    return plans.annotate(n=Count("recipients"))


def get_plan_for(*, fetched_by: Any, pk: int) -> AllocationPlan:
    return get_visible_or_404(
        AllocationPlan.objects.select_related("organisation", "source_account"), fetched_by, pk=pk
    )


def receipts_for(*, fetched_by: Any, pending_only: bool = False) -> QuerySet:
    """Plan rows paying units inside the user's jurisdiction (what they should confirm)."""
    rows = (
        PlanRecipient.objects.visible_to(fetched_by)
        .filter(plan__status__in=[workflow.DISBURSED, workflow.CONFIRMED], amount__gt=0)
        .select_related("plan", "plan__organisation", "organisation")
    )
    if pending_only:
        rows = rows.filter(confirmed_at__isnull=True)
    return rows.order_by("confirmed_at", "-plan__period", "region_code")


def get_recipient_for(*, fetched_by: Any, pk: int) -> PlanRecipient:
    return get_visible_or_404(PlanRecipient.objects.select_related("plan"), fetched_by, pk=pk)


def population_figures(*, fetched_by: Any) -> QuerySet:
    return PopulationFigure.objects.visible_to(fetched_by).order_by("-year", "region_code")


def plan_changes(plan: AllocationPlan) -> QuerySet:
    return plan.status_changes.select_related("by")


def pairing_entries(pairing: Pairing) -> QuerySet:
    return pairing.entries.order_by("-posted_at")


def entry_lines(entry: JournalEntry) -> QuerySet:
    return entry.lines.select_related("account").order_by("id")


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


RECIPIENTS = (
    "Public bodies that receive money: the departments and stations of a plan's child regions "
    "(inside the planner's jurisdiction), or a paired region's department (paired assistance "
    "crosses jurisdictions by design); found by region code."
)

IDEMPOTENCY = (
    "Idempotency keys are stored per poster (prefixed with the poster's id): only the "
    "caller's own earlier entry can be found."
)


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


# ---- recipients of plans and pairings ----------------------------------------------------------


def _child_level(region: Region) -> int:
    return 4 if region.level == 3 else region.level + 1


def child_regions(region: Region) -> list[Region]:
    """The units one level below a department's region (directly administered municipalities'
    "市辖区" placeholders are skipped in favour of their districts)."""
    level = _child_level(region)
    low, high = region.subtree_range()
    qs = Region.objects.filter(level=level, code__gte=low, code__lte=high).exclude(code=region.code)
    return [r for r in qs.order_by("code") if r.name not in ("市辖区", "县")]


def department_of(region_code: str) -> Organisation | None:
    return (
        Organisation.objects.unscoped(reason=RECIPIENTS)
        .filter(region_id=region_code, kind=Kind.SOCIAL_WORK_DEPARTMENT, is_active=True)
        .order_by("id")
        .first()
    )


def recipient_organisation(region: Region) -> Organisation | None:
    """A county's plan pays its townships' stations; higher levels pay the departments."""
    if region.level == 4:
        low, high = code_range(region.prefix)
        return (
            Organisation.objects.unscoped(reason=RECIPIENTS)
            .filter(
                region_id__gte=low,
                region_id__lte=high,
                kind=Kind.SOCIAL_WORK_STATION,
                is_active=True,
            )
            .order_by("region_id", "id")
            .first()
        )
    return department_of(region.code)


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


# ---- reports -----------------------------------------------------------------------------------


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
    flows = (
        JournalLine.objects.in_subtree(prefix)
        .filter(
            account_kind=AccountKind.HOLDING,
            entry_kind=EntryKind.DISBURSEMENT,
            debit__gt=0,
        )
        .annotate(child=Substr("region_code", 1, child_len))
        .values("child", "source")
        .annotate(s=Sum("debit"))
        .order_by()
    )
    for r in flows:
        row(r["child"], r["source"]).disbursed += r["s"] or 0
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
    spent = (
        JournalLine.objects.in_subtree(prefix)
        .filter(account_kind=AccountKind.EXPENSE)
        .annotate(child=Substr("region_code", 1, child_len))
        .values("child", "source")
        .annotate(d=Sum("debit"), c=Sum("credit"))
        .order_by()
    )
    for r in spent:
        row(r["child"], r["source"]).spent += (r["d"] or 0) - (r["c"] or 0)
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
            label=_("辖区资金余额（元）"), value=yuan(held), url=reverse("funds:index"), order=60
        )
    ]
    if pending:
        figures.append(
            Figure(label=_("待确认到账"), value=pending, url=reverse("funds:receipts"), order=61)
        )
    return figures
