"""The double-entry ledger: balanced, immutable entries posted under row locks; transfers and
reversals."""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shegong.core.scoping import jurisdiction_of
from shegong.funds.amounts import MAX_FEN, check_fen
from shegong.funds.models import (
    Account,
    AccountKind,
    Donation,
    EntryKind,
    FundSource,
    JournalEntry,
    JournalLine,
    Pairing,
    PlanRecipient,
    yuan,
)

LEDGER = (
    "Ledger internals on rows the caller already read through its scope (locks in "
    "primary-key order, running totals, reversals, the accounts of an authorised "
    "organisation); a transfer touches both sides."
)

IDEMPOTENCY = (
    "Idempotency keys are stored per poster (prefixed with the poster's id): only the "
    "caller's own earlier entry can be found."
)


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
    acting_user: Any,
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
        owner = getattr(acting_user, "pk", None) or 0
        key = f"{owner}:{idempotency_key}"[:100]
        existing = (
            JournalEntry.objects.unscoped(reason=IDEMPOTENCY).filter(idempotency_key=key).first()
        )
        if existing is not None:
            return _replayed(existing, digest)
    try:
        return _post(
            posted_by=acting_user,
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
                posted_at=entry.posted_at,
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
    acting_user: Any,
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
        acting_user=acting_user,
        lines=[Line(to_account, debit=fen), Line(from_account, credit=fen)],
        memo=memo,
        kind=kind,
        idempotency_key=idempotency_key,
        **links,
    )


def entry_reverse(*, entry: JournalEntry, acting_user: Any, reason: str) -> JournalEntry:
    """Correct an entry by posting its mirror image, linked to the original."""
    if entry.kind == EntryKind.REVERSAL:
        raise ValidationError({"entry": _("冲正凭证不能再冲正，请重新记账。")})
    if JournalEntry.objects.unscoped(reason=LEDGER).filter(reverses=entry).exists():
        raise ValidationError({"entry": _("该凭证已经冲正过。")})
    if entry.plan_recipient_id or entry.donation_id or hasattr(entry, "donation_use"):
        raise ValidationError(
            {"entry": _("分配方案拨付和捐赠相关凭证请在对应的方案或捐赠中处理，不能直接冲正。")}
        )
    if acting_user is not None and not jurisdiction_of(acting_user).contains(entry.region_code):
        raise ValidationError({"entry": _("该凭证的付款方不在您的辖区范围内。")})
    if not (reason or "").strip():
        raise ValidationError({"reason": _("请填写冲正原因。")})
    lines = [
        Line(ln.account, debit=ln.credit, credit=ln.debit)
        for ln in entry.lines.select_related("account")
    ]
    return entry_post(
        acting_user=acting_user,
        lines=lines,
        memo=_("冲正 %(n)s：%(r)s") % {"n": entry.number, "r": reason.strip()},
        kind=EntryKind.REVERSAL,
        reverses=entry,
        receiver_outside_ok=True,
    )
