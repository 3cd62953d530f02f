"""Writes of the funds app: postings, reversals, plans and their workflow, pairings, donations."""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from shegong.core.audit import audit_record
from shegong.core.models import AuditLog
from shegong.core.permissions import has_perm
from shegong.core.scoping import jurisdiction_of
from shegong.core.validation import check_past_event_date, check_planned_year, not_before
from shegong.funds import optimiser, workflow
from shegong.funds.models import (
    Account,
    AccountKind,
    AllocationPlan,
    Donation,
    DonationUse,
    Donor,
    EntryKind,
    FundSource,
    JournalEntry,
    JournalLine,
    Method,
    Pairing,
    PlanIndicator,
    PlanRecipient,
    PlanStatusChange,
    Purpose,
    Resource,
    yuan,
)
from shegong.orgs.models import Kind, Organisation
from shegong.regions.models import Region

LEDGER = (
    "Ledger internals on rows the caller already read through its scope (locks in "
    "primary-key order, running totals, reversals, the accounts of an authorised "
    "organisation); a transfer touches both sides."
)

IDEMPOTENCY = (
    "Idempotency keys are stored per poster (prefixed with the poster's id): only the "
    "caller's own earlier entry can be found."
)

RECIPIENTS = (
    "Public bodies that receive money: the departments and stations of a plan's child regions "
    "(inside the planner's jurisdiction), or a paired region's department (paired assistance "
    "crosses jurisdictions by design); found by region code."
)

RECEIPT_NUMBERS = (
    "Receipt numbers run per organisation and year: counting that organisation's receipts "
    "gives the next number; nothing else is read."
)

# ---- amounts -----------------------------------------------------------------------------------

MAX_FEN = 10**15  # ten trillion yuan: far above any real budget, far below BIGINT


def check_fen(value: Any, *, field: str = "amount") -> int:
    """An amount in fen must be a positive whole number (never a float)."""
    if isinstance(value, bool) or not isinstance(value, int):
        if isinstance(value, Decimal) and value == value.to_integral_value():
            value = int(value)
        else:
            raise ValidationError({field: _("金额必须是以“分”为单位的整数，不能有小数。")})
    if value <= 0:
        raise ValidationError({field: _("金额必须大于零。")})
    if value > MAX_FEN:
        raise ValidationError({field: _("金额超出允许范围。")})
    return value


def parse_yuan(text: Any, *, field: str = "amount") -> int:
    """`"1,234.56"` (yuan) → 123456 fen; refuses negatives and fractions of a fen."""
    raw = str(text).strip().replace(",", "").replace("，", "")
    try:
        value = Decimal(raw)
    except InvalidOperation:
        raise ValidationError({field: _("请输入金额（元），如 1500.00。")}) from None
    if not value.is_finite():
        raise ValidationError({field: _("请输入金额（元），如 1500.00。")})
    if value <= 0:
        raise ValidationError({field: _("金额必须大于零。")})
    if value * 100 > MAX_FEN:
        raise ValidationError({field: _("金额超出允许范围。")})
    fen = value * 100
    if fen != fen.to_integral_value():
        raise ValidationError({field: _("金额最多精确到分（两位小数）。")})
    return int(fen)


# ---- accounts ----------------------------------------------------------------------------------

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


# ---- posting -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    account: Account
    debit: int = 0
    credit: int = 0


def _digest(lines: Sequence[Line], memo: str, kind: str) -> str:
    payload = json.dumps([kind, memo, sorted((ln.account.pk, ln.debit, ln.credit) for ln in lines)])
    return hashlib.sha256(payload.encode()).hexdigest()


def _validate_lines(lines: Sequence[Line]) -> None:
    if len(lines) < 2:
        raise ValidationError({"lines": _("一笔凭证至少需要一借一贷两条分录。")})
    for ln in lines:
        if ln.debit and ln.credit:
            raise ValidationError({"lines": _("一条分录不能同时有借方和贷方金额。")})
        value = ln.debit if ln.debit else ln.credit
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValidationError({"amount": _("金额必须是以“分”为单位的整数，不能有小数。")})
        if ln.debit < 0 or ln.credit < 0 or value <= 0:
            raise ValidationError({"amount": _("金额必须大于零，不能为负数。")})
        if value > MAX_FEN:
            raise ValidationError({"amount": _("金额超出允许范围。")})
    both = {ln.account.pk for ln in lines if ln.debit} & {
        ln.account.pk for ln in lines if ln.credit
    }
    if both:
        names = "、".join(sorted({str(ln.account) for ln in lines if ln.account.pk in both}))
        raise ValidationError(
            {"lines": _("同一账户不能同时出现在借方和贷方：%(a)s。") % {"a": names}}
        )
    debits = sum(ln.debit for ln in lines)
    credits = sum(ln.credit for ln in lines)
    if debits != credits:
        raise ValidationError(
            {
                "lines": _("借贷不平衡：借方合计 %(d)s 元，贷方合计 %(c)s 元。")
                % {"d": yuan(debits), "c": yuan(credits)}
            }
        )


def entry_post(
    *,
    posted_by: Any,
    lines: Sequence[Line],
    memo: str,
    kind: str = EntryKind.TRANSFER,
    idempotency_key: str | None = None,
    receiver_outside_ok: bool = False,
    reverses: JournalEntry | None = None,
    plan_recipient: PlanRecipient | None = None,
    pairing: Pairing | None = None,
    donation: Donation | None = None,
    posted_at=None,
) -> JournalEntry:
    """Post a balanced entry. Accounts are locked in primary-key order (SELECT … FOR UPDATE on
    PostgreSQL; SQLite serialises writers with IMMEDIATE transactions), so concurrent postings
    can neither create nor lose money. A retried call with the same idempotency key returns the
    first entry and writes nothing."""
    _validate_lines(lines)
    if not (memo or "").strip():
        raise ValidationError({"memo": _("请填写摘要。")})
    key = None
    digest = _digest(lines, memo, kind)
    if idempotency_key:
        owner = getattr(posted_by, "pk", None) or 0
        key = f"{owner}:{idempotency_key}"[:100]
        existing = (
            JournalEntry.objects.unscoped(reason=IDEMPOTENCY).filter(idempotency_key=key).first()
        )
        if existing is not None:
            return _replayed(existing, digest)
    try:
        return _post(
            posted_by=posted_by,
            lines=lines,
            memo=memo,
            kind=kind,
            key=key,
            digest=digest,
            receiver_outside_ok=receiver_outside_ok,
            reverses=reverses,
            plan_recipient=plan_recipient,
            pairing=pairing,
            donation=donation,
            posted_at=posted_at,
        )
    except IntegrityError:
        # A concurrent retry with the same key won the race: return its entry.
        if key is not None:
            existing = (
                JournalEntry.objects.unscoped(reason=IDEMPOTENCY)
                .filter(idempotency_key=key)
                .first()
            )
            if existing is not None:
                return _replayed(existing, digest)
        raise


def _replayed(existing: JournalEntry, digest: str) -> JournalEntry:
    if existing.request_digest and existing.request_digest != digest:
        raise ValidationError(
            {"idempotency_key": _("该幂等键已用于另一笔内容不同的记账，请使用新的幂等键。")}
        )
    existing.replayed = True
    return existing


@transaction.atomic
def _post(
    *,
    posted_by,
    lines,
    memo,
    kind,
    key,
    digest,
    receiver_outside_ok,
    reverses,
    plan_recipient,
    pairing,
    donation,
    posted_at,
) -> JournalEntry:
    ids = sorted({ln.account.pk for ln in lines})
    locked = {
        a.pk: a
        for a in Account.objects.unscoped(reason=LEDGER)
        .select_for_update()
        .filter(pk__in=ids)
        .order_by("pk")
    }
    if len(locked) != len(ids):
        raise ValidationError({"lines": _("账户不存在。")})
    if posted_by is not None:
        jurisdiction = jurisdiction_of(posted_by)
        for ln in lines:
            account = locked[ln.account.pk]
            if ln.debit and receiver_outside_ok:
                continue
            if not jurisdiction.contains(account.region_id):
                raise ValidationError(
                    {
                        "account": _("账户“%(a)s”不在您的辖区范围内，不能记账。")
                        % {"a": account.name}
                    },
                    code="out_of_jurisdiction",
                )
    if kind not in (EntryKind.SPEND, EntryKind.DONATION):
        # Charity money enters only as a donation and leaves only as a registered use.
        for ln in lines:
            account = locked[ln.account.pk]
            if account.source == FundSource.CHARITY and account.kind == AccountKind.HOLDING:
                raise ValidationError(
                    {
                        "account": _(
                            "慈善捐赠资金只能通过“捐赠使用”登记支出，并须符合捐赠人的限定，"
                            "不能直接转账或拨付。"
                        )
                    },
                    code="charity_restricted",
                )
    balances = {pk: a.balance for pk, a in locked.items()}
    balance_after = []
    for ln in lines:
        balances[ln.account.pk] += ln.debit - ln.credit
        balance_after.append(balances[ln.account.pk])
    for pk, value in balances.items():
        account = locked[pk]
        if value < 0 and not account.allow_negative:
            raise ValidationError(
                {
                    "amount": _("账户“%(a)s”余额不足：当前余额 %(b)s 元，本次记账后将为 %(n)s 元。")
                    % {"a": account.name, "b": yuan(account.balance), "n": yuan(value)}
                },
                code="insufficient",
            )
    first_credit = next(locked[ln.account.pk] for ln in lines if ln.credit)
    first_debit = next(locked[ln.account.pk] for ln in lines if ln.debit)
    entry = JournalEntry(
        number=f"{timezone.localdate():%Y%m%d}-{uuid.uuid4().hex[:10].upper()}",
        kind=kind,
        memo=memo.strip()[:300],
        amount=sum(ln.debit for ln in lines),
        region_code=first_credit.region_id,
        target_region=first_debit.region_id,
        source=first_credit.source,
        posted_at=posted_at or timezone.now(),
        posted_by=posted_by if getattr(posted_by, "pk", None) else None,
        reverses=reverses,
        idempotency_key=key,
        request_digest=digest,
        plan_recipient=plan_recipient,
        pairing=pairing,
        donation=donation,
    )
    entry.save()
    JournalLine.objects.bulk_create(
        [
            JournalLine(
                entry=entry,
                account_id=ln.account.pk,
                debit=ln.debit,
                credit=ln.credit,
                balance_after=after,
                region_code=locked[ln.account.pk].region_id,
                source=locked[ln.account.pk].source,
                account_kind=locked[ln.account.pk].kind,
                entry_kind=kind,
            )
            for ln, after in zip(lines, balance_after, strict=True)
        ]
    )
    for pk, value in balances.items():
        if value != locked[pk].balance:
            Account.objects.unscoped(reason=LEDGER).filter(pk=pk).update(balance=value)
            locked[pk].balance = value
    for ln in lines:
        ln.account.balance = balances[ln.account.pk]
    entry.replayed = False
    return entry


def transfer_post(
    *,
    posted_by: Any,
    from_account: Account,
    to_account: Account,
    amount: Any,
    memo: str,
    kind: str = EntryKind.TRANSFER,
    idempotency_key: str | None = None,
    **links: Any,
) -> JournalEntry:
    fen = check_fen(amount)
    if from_account.pk == to_account.pk:
        raise ValidationError({"to_account": _("付款账户和收款账户不能相同。")})
    return entry_post(
        posted_by=posted_by,
        lines=[Line(to_account, debit=fen), Line(from_account, credit=fen)],
        memo=memo,
        kind=kind,
        idempotency_key=idempotency_key,
        **links,
    )


def entry_reverse(*, entry: JournalEntry, reversed_by: Any, reason: str) -> JournalEntry:
    """Correct an entry by posting its mirror image, linked to the original."""
    if entry.kind == EntryKind.REVERSAL:
        raise ValidationError({"entry": _("冲正凭证不能再冲正，请重新记账。")})
    if JournalEntry.objects.unscoped(reason=LEDGER).filter(reverses=entry).exists():
        raise ValidationError({"entry": _("该凭证已经冲正过。")})
    if entry.plan_recipient_id or entry.donation_id or hasattr(entry, "donation_use"):
        raise ValidationError(
            {"entry": _("分配方案拨付和捐赠相关凭证请在对应的方案或捐赠中处理，不能直接冲正。")}
        )
    if reversed_by is not None and not jurisdiction_of(reversed_by).contains(entry.region_code):
        raise ValidationError({"entry": _("该凭证的付款方不在您的辖区范围内。")})
    if not (reason or "").strip():
        raise ValidationError({"reason": _("请填写冲正原因。")})
    lines = [
        Line(ln.account, debit=ln.credit, credit=ln.debit)
        for ln in entry.lines.select_related("account")
    ]
    return entry_post(
        posted_by=reversed_by,
        lines=lines,
        memo=_("冲正 %(n)s：%(r)s") % {"n": entry.number, "r": reason.strip()},
        kind=EntryKind.REVERSAL,
        reverses=entry,
        receiver_outside_ok=True,
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
        JournalLine.objects.unscoped(reason=LEDGER)
        .filter(account=account)
        .aggregate(d=Sum("debit"), c=Sum("credit"))
    )
    from_lines = (sums["d"] or 0) - (sums["c"] or 0)
    last = (
        JournalLine.objects.unscoped(reason=LEDGER)
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


def appropriation_post(
    *,
    posted_by: Any,
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
        posted_by=posted_by,
        lines=[Line(holding, debit=check_fen(amount)), Line(funding, credit=amount)],
        memo=memo,
        kind=EntryKind.APPROPRIATION,
        posted_at=posted_at,
        idempotency_key=idempotency_key,
    )


def spend_post(
    *,
    posted_by: Any,
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
        posted_by=posted_by,
        lines=[Line(expense, debit=check_fen(amount)), Line(account, credit=amount)],
        memo=memo,
        kind=EntryKind.SPEND,
        posted_at=posted_at,
        idempotency_key=idempotency_key,
    )


# ---- allocation plans --------------------------------------------------------------------------


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
        return (
            Organisation.objects.unscoped(reason=RECIPIENTS)
            .filter(
                region_id__gte=region.code,
                region_id__lte=region.prefix.ljust(12, "9"),
                kind=Kind.SOCIAL_WORK_STATION,
                is_active=True,
            )
            .order_by("region_id", "id")
            .first()
        )
    return department_of(region.code)


def _require_department(user: Any) -> Organisation:
    membership = getattr(user, "active_membership", None)
    if membership is None or membership.organisation.kind != Kind.SOCIAL_WORK_DEPARTMENT:
        raise ValidationError({"organisation": _("只有社会工作部门可以编制分配方案。")})
    return membership.organisation


@transaction.atomic
def plan_create(
    *,
    created_by: Any,
    title: str,
    period: int,
    pot: int,
    resource: str = Resource.MONEY,
    source: str = FundSource.LOCAL,
    equity_bound: int = 50,
    weights: dict[str, float] | None = None,
) -> AllocationPlan:
    """A draft over the units one level below the department, with every available indicator."""
    from shegong.funds.indicators import collect_values

    organisation = _require_department(created_by)
    region = organisation.region
    if region.level >= 4:
        raise ValidationError({"organisation": _("乡镇（街道）一级没有下级分配单位。")})
    check_planned_year(period, field="period")
    _check_equity_bound(equity_bound)
    if resource not in Resource.values:
        raise ValidationError({"resource": _("未知的分配对象。")})
    if source not in FundSource.values:
        raise ValidationError({"source": _("未知的资金来源。")})
    if resource == Resource.MONEY:
        check_fen(pot, field="pot")
    elif not isinstance(pot, int) or pot <= 0:
        raise ValidationError({"pot": _("岗位数必须是正整数。")})
    children = child_regions(region)
    if not children:
        raise ValidationError({"organisation": _("本辖区没有下级区划，无法编制方案。")})
    plan = AllocationPlan(
        organisation=organisation,
        region_code=region.code,
        title=title.strip() or _("%(y)s年度资金分配方案") % {"y": period},
        period=period,
        resource=resource,
        pot=pot,
        equity_bound=equity_bound,
        created_by=created_by,
        source_account=(
            account_for(organisation=organisation, source=source)
            if resource == Resource.MONEY
            else None
        ),
    )
    plan._history_user = created_by
    plan.save()
    values = collect_values(region, children)
    weights = weights or {}
    PlanIndicator.objects.bulk_create(
        [
            PlanIndicator(
                plan=plan,
                key=p.key,
                label=p.label,
                weight=float(weights.get(p.key, p.default_weight)),
                source=p.source,
            )
            for p, _v in values
        ]
    )
    orgs = {}
    if children[0].level < 4:
        for org in (
            Organisation.objects.unscoped(reason=RECIPIENTS)
            .filter(
                region_id__in=[c.code for c in children],
                kind=Kind.SOCIAL_WORK_DEPARTMENT,
                is_active=True,
            )
            .order_by("-id")
        ):
            orgs[org.region_id] = org
    last = _last_period_amounts(plan)
    PlanRecipient.objects.bulk_create(
        [
            PlanRecipient(
                plan=plan,
                region_code=c.code,
                region_name=c.name,
                organisation=orgs.get(c.code) if c.level < 4 else recipient_organisation(c),
                indicators={p.key: vals.get(c.code, 0) for p, vals in values},
                last_period_amount=last.get(c.code),
            )
            for c in children
        ]
    )
    _record(plan, "", workflow.DRAFT, "create", created_by, _("新建方案"))
    plan_compute(plan=plan, computed_by=created_by)
    return plan


def _last_period_amounts(plan: AllocationPlan) -> dict[str, int]:
    previous = (
        AllocationPlan.objects.unscoped(reason=LEDGER)
        .filter(
            organisation=plan.organisation,
            resource=plan.resource,
            period__lt=plan.period,
            status__in=[workflow.APPROVED, workflow.DISBURSED, workflow.CONFIRMED],
        )
        .order_by("-period", "-id")
        .first()
    )
    if previous is None:
        return {}
    return dict(previous.recipients.values_list("region_code", "amount"))


def _record(plan, source, target, action, user, note="") -> None:
    PlanStatusChange.objects.create(
        plan=plan,
        from_status=source,
        to_status=target,
        action=action,
        note=note,
        by=user if getattr(user, "pk", None) else None,
    )


def _ensure_editable(plan: AllocationPlan) -> None:
    if plan.status not in workflow.EDITABLE:
        raise ValidationError({"status": _("方案已提交，不能再修改。")})


def _check_equity_bound(value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 1000:
        raise ValidationError({"equity_bound": _("公平性约束应在 0–1000% 之间。")})


@transaction.atomic
def plan_update_inputs(
    *,
    plan: AllocationPlan,
    updated_by: Any,
    pot: int | None = None,
    equity_bound: int | None = None,
    weights: dict[str, float] | None = None,
    bounds: dict[int, dict[str, int | None]] | None = None,
    indicator_values: dict[int, dict[str, float]] | None = None,
    method: str | None = None,
) -> AllocationPlan:
    """Change the pot, weights, floors/caps/committed or indicator figures; recompute."""
    _ensure_editable(plan)
    if pot is not None:
        if plan.is_money:
            check_fen(pot, field="pot")
        elif not isinstance(pot, int) or pot <= 0:
            raise ValidationError({"pot": _("岗位数必须是正整数。")})
        plan.pot = pot
    if equity_bound is not None:
        _check_equity_bound(equity_bound)
        plan.equity_bound = equity_bound
    if method is not None:
        if method not in Method.values:
            raise ValidationError({"method": _("未知的分配方法。")})
        plan.method = method
    plan._history_user = updated_by
    plan.save()
    for indicator in plan.indicators.all():
        if weights and indicator.key in weights:
            weight = float(weights[indicator.key])
            if weight < 0:
                raise ValidationError({"weights": _("权重不能为负数。")})
            indicator.weight = weight
            indicator.save(update_fields=["weight"])
    recipients = {r.pk: r for r in plan.recipients.all()}
    changed = []
    for pk, values in (bounds or {}).items():
        r = recipients.get(pk)
        if r is None:
            continue
        for name in ("floor", "cap", "committed"):
            if name in values:
                v = values[name]
                if v is not None and (isinstance(v, bool) or not isinstance(v, int) or v < 0):
                    raise ValidationError(
                        {name: _("%(n)s：请输入不小于零的金额。") % {"n": r.region_name}}
                    )
                if name != "cap" and v is None:
                    v = 0
                setattr(r, name, v)
        changed.append(r)
    for pk, values in (indicator_values or {}).items():
        r = recipients.get(pk)
        if r is None:
            continue
        r.indicators = {**r.indicators, **{k: float(v) for k, v in values.items()}}
        changed.append(r)
    if changed:
        PlanRecipient.objects.bulk_update(
            list({r.pk: r for r in changed}.values()), ["floor", "cap", "committed", "indicators"]
        )
    plan_compute(plan=plan, computed_by=updated_by)
    return plan


def plan_units(plan: AllocationPlan, recipients: list[PlanRecipient]) -> list[optimiser.Unit]:
    weights = {i.key: i.weight for i in plan.indicators.all()}
    needs = optimiser.need_indices([r.indicators for r in recipients], weights)
    return [
        optimiser.Unit(
            key=r.region_code,
            name=r.region_name,
            need=n,
            floor=r.floor,
            cap=r.cap,
            committed=r.committed,
        )
        for r, n in zip(recipients, needs, strict=True)
    ]


@transaction.atomic
def plan_compute(*, plan: AllocationPlan, computed_by: Any) -> optimiser.Outcome:
    """Run both methods and store per recipient: amounts, binding constraints, explanations."""
    _ensure_editable(plan)
    recipients = list(plan.recipients.order_by("region_code"))
    units = plan_units(plan, recipients)
    proportional = optimiser.proportional(plan.pot, units)
    outcome = optimiser.optimise(
        plan.pot, units, plan.equity_bound, integer=not plan.is_money, fmt=plan.fmt
    )
    bounds = optimiser.bounds_of(plan.pot, units, plan.equity_bound)
    for i, (r, u) in enumerate(zip(recipients, units, strict=True)):
        r.need_index = u.need
        r.amount_proportional = proportional[i]
        if outcome.status == "optimal":
            r.amount_optimised = outcome.amounts[i]
            r.binding = outcome.binding[i]
            r.marginal_value = outcome.reduced_costs[i]
            r.explanation = optimiser.explain_unit(
                outcome.reduced_costs[i], outcome.binding[i], money=plan.is_money
            )
        else:
            r.amount_optimised = None
            r.binding = []
            r.marginal_value = None
            r.explanation = ""
        r.amount = r.amount_optimised if plan.method == Method.OPTIMISED else r.amount_proportional
    PlanRecipient.objects.bulk_update(
        recipients,
        [
            "need_index",
            "amount_proportional",
            "amount_optimised",
            "amount",
            "binding",
            "marginal_value",
            "explanation",
        ],
        batch_size=500,
    )
    violations = []
    for r, b in zip(recipients, bounds, strict=True):
        p = r.amount_proportional
        if p < b.lo or (b.hi is not None and p > b.hi):
            violations.append(r.region_name)
    plan.solver_status = outcome.status
    plan.solver_message = {
        "conflicts": outcome.conflicts,
        "marginal": (
            optimiser.explain_marginal(
                outcome.pot_dual, units, outcome.amounts, bounds, money=plan.is_money
            )
            if outcome.status == "optimal"
            else ""
        ),
        "pot_dual": outcome.pot_dual,
        "objective": outcome.objective,
        "objective_proportional": sum(u.need * a for u, a in zip(units, proportional, strict=True)),
        "proportional_violations": violations,
        "solve_seconds": round(outcome.solve_seconds, 4),
    }
    plan.computed_at = timezone.now()
    plan.save(update_fields=["solver_status", "solver_message", "computed_at", "updated_at"])
    return outcome


def _check_transition(plan: AllocationPlan, action: str, user: Any) -> workflow.Transition:
    """The service's own check (the lifecycle checks too): state, role and jurisdiction."""
    transition = workflow.PLAN.by_name[action]
    if not transition.starts_from(plan.status):
        raise ValidationError(
            {
                "status": _("方案当前状态为“%(s)s”，不能执行该操作。")
                % {"s": workflow.label_of(plan.status)}
            }
        )
    if user is not None and not has_perm(user, transition.perm):
        raise ValidationError({"status": _("您的角色不能执行“%(a)s”。") % {"a": transition.label}})
    if user is not None and not jurisdiction_of(user).contains(plan.region_code):
        raise ValidationError({"status": _("该方案不在您的辖区范围内。")})
    return transition


def _move(plan, transition, user, note="") -> AllocationPlan:
    source = plan.status
    plan.status = transition.target
    plan._history_user = user
    plan.save(update_fields=["status", "updated_at"])
    _record(plan, source, transition.target, transition.name, user, note)
    audit_record(
        action=AuditLog.Action.OTHER,
        actor=user,
        obj=plan,
        region_code=plan.region_code,
        detail={"plan_action": transition.name, "from": source, "to": transition.target},
    )
    return plan


def _decide(plan: AllocationPlan, action: str, acting_user: Any, note: str) -> AllocationPlan:
    plan = AllocationPlan.objects.unscoped(reason=LEDGER).select_for_update().get(pk=plan.pk)
    transition = _check_transition(plan, action, acting_user)
    if action in ("submit", "approve"):
        if plan.solver_status != "optimal" and plan.method == Method.OPTIMISED:
            raise ValidationError({"status": _("优化方案无可行解，请先调整约束。")})
        missing = plan.recipients.filter(amount__isnull=True).exists()
        if missing:
            raise ValidationError({"status": _("方案尚未计算出每个单位的分配额。")})
    return _move(plan, transition, acting_user, note)


@transaction.atomic
def plan_submit(*, plan: AllocationPlan, acting_user: Any, note: str = "") -> AllocationPlan:
    """Submit a draft for approval (提交审批)."""
    return _decide(plan, "submit", acting_user, note)


@transaction.atomic
def plan_return(*, plan: AllocationPlan, acting_user: Any, note: str = "") -> AllocationPlan:
    """Send a submitted plan back to its drafter (退回修改)."""
    return _decide(plan, "return", acting_user, note)


@transaction.atomic
def plan_approve(*, plan: AllocationPlan, acting_user: Any, note: str = "") -> AllocationPlan:
    """Approve a submitted plan (审批通过)."""
    return _decide(plan, "approve", acting_user, note)


@transaction.atomic
def plan_disburse(*, plan: AllocationPlan, acting_user: Any) -> AllocationPlan:
    """Create the ledger transfer to each recipient (money) and mark the plan disbursed."""
    plan = AllocationPlan.objects.unscoped(reason=LEDGER).select_for_update().get(pk=plan.pk)
    transition = _check_transition(plan, "disburse", acting_user)
    recipients = list(plan.recipients.select_related("organisation").order_by("region_code"))
    if plan.is_money:
        missing = [r.region_name for r in recipients if r.organisation is None and r.amount]
        if missing:
            raise ValidationError(
                {
                    "status": _("以下单位尚未建立接收单位，无法拨付：%(n)s")
                    % {"n": "、".join(missing)}
                }
            )
        source_account = plan.source_account
        total = sum(r.amount or 0 for r in recipients)
        source_account.refresh_from_db(fields=["balance"])
        if source_account.balance < total:
            raise ValidationError(
                {
                    "status": _("拨付账户“%(a)s”余额 %(b)s 元，不足以拨付方案合计 %(t)s 元。")
                    % {
                        "a": source_account.name,
                        "b": yuan(source_account.balance),
                        "t": yuan(total),
                    }
                }
            )
        for r in recipients:
            if not r.amount:
                continue
            target = account_for(
                organisation=r.organisation,
                source=source_account.source,
                purpose=source_account.purpose,
            )
            transfer_post(
                posted_by=acting_user,
                from_account=source_account,
                to_account=target,
                amount=r.amount,
                memo=_("%(t)s：拨付%(n)s") % {"t": plan.title, "n": r.region_name},
                kind=EntryKind.DISBURSEMENT,
                receiver_outside_ok=False,
                plan_recipient=r,
                idempotency_key=f"plan-{plan.pk}-recipient-{r.pk}",
            )
    return _move(plan, transition, acting_user)


@transaction.atomic
def receipt_confirm(*, recipient: PlanRecipient, confirmed_by: Any) -> PlanRecipient:
    """The receiving unit confirms the money (or posts) arrived; the last one closes the plan."""
    recipient = (
        PlanRecipient.objects.unscoped(reason=LEDGER)
        .select_for_update()
        .select_related("plan")
        .get(pk=recipient.pk)
    )
    plan = recipient.plan
    if confirmed_by is not None:  # None = the system (demo loader, imports)
        if not jurisdiction_of(confirmed_by).contains(recipient.region_code):
            raise ValidationError({"recipient": _("只有接收单位所在辖区可以确认到账。")})
        if not has_perm(confirmed_by, "funds.confirm_receipt"):
            raise ValidationError({"recipient": _("您的角色不能确认到账。")})
    if plan.status != workflow.DISBURSED:
        raise ValidationError({"recipient": _("方案尚未拨付，不能确认到账。")})
    if recipient.confirmed_at is not None:
        raise ValidationError({"recipient": _("已确认过到账。")})
    recipient.confirmed_at = timezone.now()
    recipient.confirmed_by = confirmed_by
    recipient._history_user = confirmed_by
    recipient.save(update_fields=["confirmed_at", "confirmed_by"])
    _record(
        plan,
        plan.status,
        plan.status,
        "confirm_receipt",
        confirmed_by,
        _("%(n)s 确认到账") % {"n": recipient.region_name},
    )
    if not plan.recipients.filter(confirmed_at__isnull=True, amount__gt=0).exists():
        _move(plan, workflow.PLAN.by_name["confirm_all"], confirmed_by)
    return recipient


@transaction.atomic
def plan_copy(*, plan: AllocationPlan, copied_by: Any, period: int | None = None) -> AllocationPlan:
    """A new draft for the next period with the same pot, weights and bounds; fresh indicators."""
    if not jurisdiction_of(copied_by).contains(plan.region_code):
        raise ValidationError({"plan": _("该方案不在您的辖区范围内。")})
    period = period or plan.period + 1
    weights = {i.key: i.weight for i in plan.indicators.all()}
    source = plan.source_account.source if plan.source_account else FundSource.LOCAL
    new = plan_create(
        created_by=copied_by,
        title=plan.title.replace(str(plan.period), str(period)),
        period=period,
        pot=plan.pot,
        resource=plan.resource,
        source=source,
        equity_bound=plan.equity_bound,
        weights=weights,
    )
    new.copied_from = plan
    new.method = plan.method
    new.save(update_fields=["copied_from", "method"])
    old = {r.region_code: r for r in plan.recipients.all()}
    fresh = list(new.recipients.all())
    for r in fresh:
        o = old.get(r.region_code)
        if o is not None:
            r.floor, r.cap, r.committed = o.floor, o.cap, 0
            if r.last_period_amount is None:
                r.last_period_amount = o.amount
    PlanRecipient.objects.bulk_update(fresh, ["floor", "cap", "committed", "last_period_amount"])
    plan_compute(plan=new, computed_by=copied_by)
    return new


# ---- paired assistance -------------------------------------------------------------------------


@transaction.atomic
def pairing_create(
    *,
    created_by: Any,
    giver: Organisation,
    receiver: Organisation,
    year: int,
    agreed_amount: int,
    title: str = "",
    note: str = "",
) -> Pairing:
    if created_by is not None and not jurisdiction_of(created_by).contains(giver.region_id):
        raise ValidationError({"giver": _("支援方不在您的辖区范围内。")})
    if giver.pk == receiver.pk:
        raise ValidationError({"receiver": _("支援方和受援方不能相同。")})
    check_fen(agreed_amount, field="agreed_amount")
    pairing = Pairing(
        giver=giver,
        receiver=receiver,
        region_code=giver.region_id,
        partner_region=receiver.region_id,
        year=year,
        agreed_amount=agreed_amount,
        title=title or f"{giver.region.name}—{receiver.region.name}对口协作（{year}年）",
        note=note,
    )
    pairing._history_user = created_by
    pairing.save()
    return pairing


def pairing_transfer(
    *,
    pairing: Pairing,
    transferred_by: Any,
    amount: Any,
    memo: str,
    source: str = FundSource.LOCAL,
    idempotency_key: str | None = None,
    posted_at=None,
) -> JournalEntry:
    """A horizontal transfer from the giver's account to the receiver's pairing account."""
    if transferred_by is not None and not jurisdiction_of(transferred_by).contains(
        pairing.region_code
    ):
        raise ValidationError({"pairing": _("只有支援方可以拨付协作资金。")})
    fen = check_fen(amount)
    delivered = pairing_delivered(pairing)
    if delivered + fen > pairing.agreed_amount:
        raise ValidationError(
            {
                "amount": _("超出协议年度资金：协议 %(a)s 元，已拨付 %(d)s 元，本次 %(n)s 元。")
                % {"a": yuan(pairing.agreed_amount), "d": yuan(delivered), "n": yuan(fen)}
            }
        )
    from_account = account_for(organisation=pairing.giver, source=source)
    to_account = account_for(organisation=pairing.receiver, source=FundSource.OTHER)
    return entry_post(
        posted_by=transferred_by,
        lines=[Line(to_account, debit=fen), Line(from_account, credit=fen)],
        memo=memo or pairing.title,
        kind=EntryKind.PAIRING,
        idempotency_key=idempotency_key,
        receiver_outside_ok=True,
        pairing=pairing,
        posted_at=posted_at,
    )


def pairing_delivered(pairing: Pairing) -> int:
    """Delivered against the agreement = the pairing's ledger entries (net of reversals)."""
    total = pairing.entries.aggregate(s=Sum("amount"))["s"] or 0
    reversed_total = (
        JournalEntry.objects.unscoped(reason=LEDGER)
        .filter(reverses__pairing=pairing)
        .aggregate(s=Sum("amount"))["s"]
        or 0
    )
    return total - reversed_total


# ---- donations ---------------------------------------------------------------------------------


def donor_create(
    *,
    created_by: Any,
    kind: str,
    name: str,
    credit_code: str = "",
    phone: str = "",
    is_anonymous: bool = False,
    region_code: str = "",
) -> Donor:
    from stdnum.cn import uscc

    if not name.strip():
        raise ValidationError({"name": _("请填写捐赠人名称。")})
    if kind not in Donor.Kind.values:
        raise ValidationError({"kind": _("未知的捐赠人类型。")})
    if kind == Donor.Kind.ORGANISATION and credit_code:
        if not uscc.is_valid(credit_code.upper()):
            raise ValidationError({"credit_code": _("统一社会信用代码校验不通过。")})
    region_code = region_code or jurisdiction_of(created_by).region_code
    donor = Donor(
        kind=kind,
        name=name.strip(),
        credit_code=credit_code.upper(),
        phone=phone,
        is_anonymous=is_anonymous,
        region_code=region_code,
    )
    donor._history_user = created_by
    donor.save()
    return donor


def _receipt_number(organisation: Organisation, year: int) -> str:
    prefix = f"JZ{year}-{organisation.region_id[:6]}-{organisation.pk:04d}-"
    count = (
        Donation.objects.unscoped(reason=RECEIPT_NUMBERS)
        .filter(receipt_number__startswith=prefix)
        .count()
    )
    return f"{prefix}{count + 1:05d}"


def donation_by_key(user: Any, idempotency_key: str) -> Donation | None:
    key = f"{getattr(user, 'pk', None) or 0}:{idempotency_key}"[:100]
    entry = (
        JournalEntry.objects.unscoped(reason=IDEMPOTENCY)
        .filter(idempotency_key=key)
        .select_related("donation")
        .first()
    )
    return entry.donation if entry is not None else None


@transaction.atomic
def donation_receive(
    *,
    received_by: Any,
    organisation: Organisation,
    donor: Donor,
    kind: str,
    amount: int,
    received_on: date,
    restricted_purpose: str = "",
    restricted_region: str = "",
    restricted_group: str = "",
    goods_description: str = "",
    idempotency_key: str | None = None,
) -> Donation:
    """Record a donation, issue its receipt number and post it to the restricted charity account
    (money and goods alike, goods at their estimated value)."""
    if received_by is not None and not jurisdiction_of(received_by).contains(
        organisation.region_id
    ):
        raise ValidationError({"organisation": _("受赠单位不在您的辖区范围内。")})
    if idempotency_key:
        existing = donation_by_key(received_by, idempotency_key)
        if existing is not None:
            return existing
    check_fen(amount)
    check_past_event_date(received_on, field="received_on")
    if kind not in Donation.Kind.values:
        raise ValidationError({"kind": _("未知的捐赠类型。")})
    if restricted_purpose not in Purpose.values:
        raise ValidationError({"restricted_purpose": _("未知的用途。")})
    if restricted_region and not (
        restricted_region.isdigit()
        and Region.objects.filter(code=restricted_region.ljust(12, "0")).exists()
    ):
        raise ValidationError({"restricted_region": _("限定地区必须是有效的区划代码。")})
    if kind == Donation.Kind.GOODS and not goods_description.strip():
        raise ValidationError({"goods_description": _("物资捐赠请填写物资明细。")})
    account = account_for(
        organisation=organisation, source=FundSource.CHARITY, purpose=restricted_purpose
    )
    donation = Donation(
        organisation=organisation,
        region_code=organisation.region_id,
        donor=donor,
        kind=kind,
        amount=amount,
        goods_description=goods_description,
        restricted_purpose=restricted_purpose,
        restricted_region=restricted_region,
        restricted_group=restricted_group.strip(),
        receipt_number=_receipt_number(organisation, received_on.year),
        received_on=received_on,
        account=account,
        recorded_by=received_by if getattr(received_by, "pk", None) else None,
    )
    donation._history_user = received_by
    donation.save()
    income = account_for(
        organisation=organisation, source=FundSource.CHARITY, kind=AccountKind.FUNDING
    )
    entry_post(
        posted_by=received_by,
        lines=[Line(account, debit=amount), Line(income, credit=amount)],
        memo=_("接收捐赠 %(r)s（%(d)s）") % {"r": donation.receipt_number, "d": donor.public_name},
        kind=EntryKind.DONATION,
        donation=donation,
        idempotency_key=idempotency_key,
    )
    return donation


def donation_used(donation: Donation) -> int:
    return donation.uses.aggregate(s=Sum("amount"))["s"] or 0


@transaction.atomic
def donation_use(
    *,
    used_by: Any,
    donation: Donation,
    target: str,
    purpose: str,
    beneficiary_region: str,
    amount: int,
    description: str,
    used_on: date,
    beneficiary_group: str = "",
    beneficiary_name: str = "",
    record_ref: str = "",
) -> DonationUse:
    """Apply part of a donation; never beyond its restriction (purpose, region, group) or its
    remaining amount. The donation row is locked so concurrent uses cannot overspend it."""
    donation = Donation.objects.unscoped(reason=LEDGER).select_for_update().get(pk=donation.pk)
    if used_by is not None and not jurisdiction_of(used_by).contains(donation.region_code):
        raise ValidationError({"donation": _("该捐赠不在您的辖区范围内。")})
    fen = check_fen(amount)
    check_past_event_date(used_on, field="used_on")
    not_before(
        used_on,
        donation.received_on,
        field="used_on",
        message=_("使用日期不能早于捐赠收到日期（%(d)s）。") % {"d": donation.received_on},
    )
    if target not in DonationUse.Target.values:
        raise ValidationError({"target": _("未知的使用去向。")})
    if purpose not in Purpose.values or not purpose:
        raise ValidationError({"purpose": _("请选择用途。")})
    if donation.restricted_purpose and purpose != donation.restricted_purpose:
        raise ValidationError(
            {
                "purpose": _("该捐赠限定用于“%(p)s”，不能用于“%(q)s”。")
                % {"p": donation.get_restricted_purpose_display(), "q": Purpose(purpose).label}
            }
        )
    beneficiary_region = (beneficiary_region or "").strip().ljust(12, "0")
    if not Region.objects.filter(code=beneficiary_region).exists():
        raise ValidationError({"beneficiary_region": _("受益地区必须是有效的区划代码。")})
    if donation.restricted_region and not beneficiary_region.startswith(
        donation.restricted_region.rstrip("0") or donation.restricted_region
    ):
        raise ValidationError(
            {
                "beneficiary_region": _("该捐赠限定用于区划 %(r)s，受益地区 %(b)s 不在其中。")
                % {"r": donation.restricted_region, "b": beneficiary_region}
            }
        )
    if donation.restricted_group and beneficiary_group.strip() != donation.restricted_group:
        raise ValidationError(
            {
                "beneficiary_group": _("该捐赠限定受益人群为“%(g)s”。")
                % {"g": donation.restricted_group}
            }
        )
    remaining = donation.amount - donation_used(donation)
    if fen > remaining:
        raise ValidationError(
            {
                "amount": _("超出捐赠余额：剩余 %(r)s 元，本次 %(n)s 元。")
                % {"r": yuan(remaining), "n": yuan(fen)}
            }
        )
    entry = spend_post(
        posted_by=used_by,
        account=donation.account,
        amount=fen,
        memo=_("捐赠 %(r)s 使用：%(d)s") % {"r": donation.receipt_number, "d": description},
    )
    JournalEntry.objects.unscoped(reason=LEDGER).filter(pk=entry.pk).update(donation=donation)
    use = DonationUse.objects.create(
        donation=donation,
        region_code=donation.region_code,
        target=target,
        purpose=purpose,
        beneficiary_region=beneficiary_region,
        beneficiary_group=beneficiary_group.strip(),
        description=description.strip(),
        beneficiary_name=beneficiary_name.strip(),
        record_ref=record_ref.strip(),
        amount=fen,
        used_on=used_on,
        entry=entry,
        recorded_by=used_by if getattr(used_by, "pk", None) else None,
    )
    return use
