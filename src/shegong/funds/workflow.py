"""The allocation plan's lifecycle as data: states, and per action (from, to, permission)."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

DRAFT = "draft"
SUBMITTED = "submitted"
APPROVED = "approved"
DISBURSED = "disbursed"
CONFIRMED = "confirmed"

STATES = {
    DRAFT: _("草稿"),
    SUBMITTED: _("已提交待审批"),
    APPROVED: _("已审批"),
    DISBURSED: _("已拨付"),
    CONFIRMED: _("已全部确认到账"),
}

# States in which indicators, bounds and amounts can still be edited.
EDITABLE = {DRAFT}


@dataclass(frozen=True)
class Transition:
    action: str
    source: str
    target: str
    perm: str
    label: str


TRANSITIONS = (
    Transition("submit", DRAFT, SUBMITTED, "funds.plan_submit", _("提交审批")),
    Transition("return", SUBMITTED, DRAFT, "funds.plan_approve", _("退回修改")),
    Transition("approve", SUBMITTED, APPROVED, "funds.plan_approve", _("审批通过")),
    Transition("disburse", APPROVED, DISBURSED, "funds.plan_disburse", _("拨付资金")),
    # Reached by the service when the last recipient confirms receipt.
    Transition("confirm_all", DISBURSED, CONFIRMED, "funds.confirm_receipt", _("全部确认到账")),
)

BY_ACTION = {t.action: t for t in TRANSITIONS}


def transitions_from(state: str) -> list[Transition]:
    return [t for t in TRANSITIONS if t.source == state and t.action != "confirm_all"]


def label_of(state: str) -> str:
    return str(STATES.get(state, state))
