"""The allocation plan's lifecycle (分配方案), declared in the one format of core.workflow."""

from __future__ import annotations

from django.db import models
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

_S = "shegong.funds.services."
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

LIFECYCLES = (PLAN,)


def label_of(state: str) -> str:
    return PLAN.state_label(state)
