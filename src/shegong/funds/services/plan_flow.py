"""The allocation plan's lifecycle (funds.workflow.PLAN, RECEIPT): submit, return, approve,
disburse, and each recipient's confirmation that the money arrived."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shegong.core.audit import audit_record
from shegong.core.models import AuditLog
from shegong.core.permissions import has_perm
from shegong.core.scoping import jurisdiction_of
from shegong.funds import workflow
from shegong.funds.models import (
    AllocationPlan,
    EntryKind,
    Method,
    PlanRecipient,
    yuan,
)
from shegong.funds.services.accounts import account_for
from shegong.funds.services.ledger import transfer_post
from shegong.funds.services.plans import _record

# Reasons are declared in each module that reads unscoped (tests/core/test_unscoped_reads.py).
LEDGER = (
    "Ledger internals on rows the caller already read through its scope (locks in "
    "primary-key order, running totals, reversals, the accounts of an authorised "
    "organisation); a transfer touches both sides."
)


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
                acting_user=acting_user,
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
def receipt_confirm(*, recipient: PlanRecipient, acting_user: Any) -> PlanRecipient:
    """The receiving unit confirms the money (or posts) arrived; the last one closes the plan."""
    recipient = (
        PlanRecipient.objects.unscoped(reason=LEDGER)
        .select_for_update()
        .select_related("plan")
        .get(pk=recipient.pk)
    )
    plan = recipient.plan
    if acting_user is not None:  # None = the system (demo loader, imports)
        if not jurisdiction_of(acting_user).contains(recipient.region_code):
            raise ValidationError({"recipient": _("只有接收单位所在辖区可以确认到账。")})
        if not has_perm(acting_user, "funds.confirm_receipt"):
            raise ValidationError({"recipient": _("您的角色不能确认到账。")})
    if plan.status != workflow.DISBURSED:
        raise ValidationError({"recipient": _("方案尚未拨付，不能确认到账。")})
    if recipient.confirmed_at is not None:
        raise ValidationError({"recipient": _("已确认过到账。")})
    recipient.confirmed_at = timezone.now()
    recipient.confirmed_by = acting_user
    recipient._history_user = acting_user
    recipient.save(update_fields=["confirmed_at", "confirmed_by"])
    audit_record(
        action=AuditLog.Action.OTHER,
        actor=acting_user,
        obj=recipient,
        region_code=recipient.region_code,
        detail={"plan_action": "confirm_receipt", "plan": plan.pk},
    )
    _record(
        plan,
        plan.status,
        plan.status,
        "confirm_receipt",
        acting_user,
        _("%(n)s 确认到账") % {"n": recipient.region_name},
    )
    if not plan.recipients.filter(confirmed_at__isnull=True, amount__gt=0).exists():
        _move(plan, workflow.PLAN.by_name["confirm_all"], acting_user)
    return recipient
