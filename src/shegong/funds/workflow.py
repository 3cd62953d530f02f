"""The lifecycles of the funds app, declared in the one format of core.workflow: the allocation
plan (分配方案) and each recipient's confirmation that the money arrived (确认到账)."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from shegong.core.workflow import Lifecycle, Transition


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已提交待审批")
    APPROVED = "approved", _("已审批")
    DISBURSED = "disbursed", _("已拨付")
    CONFIRMED = "confirmed", _("已全部确认到账")


DRAFT = PlanStatus.DRAFT.value
SUBMITTED = PlanStatus.SUBMITTED.value
APPROVED = PlanStatus.APPROVED.value
DISBURSED = PlanStatus.DISBURSED.value
CONFIRMED = PlanStatus.CONFIRMED.value
STATES = dict(PlanStatus.choices)

# States in which indicators, bounds and amounts can still be edited.
EDITABLE = {DRAFT}

_S = "shegong.funds.services.plan_flow."
_NOTE = "shegong.core.forms.NoteForm"

PLAN = Lifecycle(
    key="funds.plan",
    label=_("分配方案"),
    model="funds.AllocationPlan",
    states=PlanStatus,
    object_arg="plan",
    fetch="shegong.funds.selectors.get_plan_for",
    view_perm="funds.view",
    url_name="funds:plan_transition",
    transitions=(
        Transition(
            "submit",
            _("提交审批"),
            (DRAFT,),
            SUBMITTED,
            "funds.plan_submit",
            _S + "plan_submit",
            form=_NOTE,
            records="funds.PlanStatusChange",
        ),
        Transition(
            "return",
            _("退回修改"),
            (SUBMITTED,),
            DRAFT,
            "funds.plan_approve",
            _S + "plan_return",
            form=_NOTE,
            records="funds.PlanStatusChange",
            style="outline-secondary",
        ),
        Transition(
            "approve",
            _("审批通过"),
            (SUBMITTED,),
            APPROVED,
            "funds.plan_approve",
            _S + "plan_approve",
            form=_NOTE,
            records="funds.PlanStatusChange",
        ),
        Transition(
            "disburse",
            _("拨付资金"),
            (APPROVED,),
            DISBURSED,
            "funds.plan_disburse",
            _S + "plan_disburse",
            records="funds.PlanStatusChange",
            done=_("已拨付，资金已转入各接收单位账户。"),
        ),
        # Taken by receipt_confirm when the last recipient confirms the money arrived.
        Transition(
            "confirm_all",
            _("全部确认到账"),
            (DISBURSED,),
            CONFIRMED,
            "funds.confirm_receipt",
            _S + "receipt_confirm",
            records="funds.PlanStatusChange",
            offered=False,
        ),
    ),
)


class ReceiptStatus(models.TextChoices):
    """Where a recipient of a plan stands (derived: the plan's state and `confirmed_at`)."""

    NOT_DUE = "not_due", _("未到确认环节")
    PENDING = "pending", _("已拨付待确认")
    CONFIRMED = "confirmed", _("已确认到账")


def receipt_status(recipient) -> str:
    if recipient.confirmed_at is not None:
        return ReceiptStatus.CONFIRMED.value
    if recipient.plan.status == DISBURSED:
        return ReceiptStatus.PENDING.value
    return ReceiptStatus.NOT_DUE.value


def _receipt_done(recipient) -> str:
    return str(_("已确认到账：%(t)s")) % {"t": recipient.plan.title}


def _to_receipts(result, recipient) -> str:
    return reverse("funds:receipts")


RECEIPT = Lifecycle(
    key="funds.receipt",
    label=_("拨付到账确认"),
    model="funds.PlanRecipient",
    states=ReceiptStatus,
    state_field="receipt_status",
    object_arg="recipient",
    fetch="shegong.funds.selectors.get_recipient_for",
    view_perm="funds.view",
    url_name="funds:receipt_transition",
    transitions=(
        # The last confirmation of a plan also takes the plan's confirm_all.
        Transition(
            "confirm",
            _("确认到账"),
            (ReceiptStatus.PENDING.value,),
            ReceiptStatus.CONFIRMED.value,
            "funds.confirm_receipt",
            _S + "receipt_confirm",
            records="funds.PlanStatusChange",
            style="success",
            done=_receipt_done,
            next_url=_to_receipts,
        ),
    ),
)

LIFECYCLES = (PLAN, RECEIPT)


def label_of(state: str) -> str:
    return PLAN.state_label(state)
