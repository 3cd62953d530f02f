"""The case lifecycle (个案) as data: states, allowed transitions and what each one needs.

`TRANSITIONS[from] = {to: Rule}`; `cases.services.case_transition` is the only way a case
changes state. Each rule names who may make the move and which checks it needs (`requires`),
so a forbidden move is refused with a reason a person understands.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    INTAKE = "intake", _("接案")
    ASSESSMENT = "assessment", _("需求评估")
    PLANNING = "planning", _("服务计划")
    INTERVENTION = "intervention", _("服务介入")
    EVALUATION = "evaluation", _("结案评估")
    CLOSED = "closed", _("已结案")


OPEN_STATUSES = tuple(s for s in Status.values if s != Status.CLOSED)


@dataclass(frozen=True)
class Rule:
    label: str
    perm: str = "cases.edit"
    requires: tuple[str, ...] = ()  # checks in cases.services.TRANSITION_CHECKS


TRANSITIONS: dict[str, dict[str, Rule]] = {
    Status.INTAKE: {
        Status.ASSESSMENT: Rule(_("开始评估")),
        Status.CLOSED: Rule(_("不予接案并结案"), requires=("closure_reason",)),
    },
    Status.ASSESSMENT: {
        Status.PLANNING: Rule(_("评估完成，制定计划"), requires=("assessment_note",)),
        Status.CLOSED: Rule(_("无需服务，结案"), requires=("closure_reason",)),
    },
    Status.PLANNING: {
        Status.INTERVENTION: Rule(_("开始服务介入"), requires=("plan_goals", "plan_approved")),
    },
    Status.INTERVENTION: {
        Status.EVALUATION: Rule(_("进入结案评估"), requires=("service_records",)),
    },
    Status.EVALUATION: {
        Status.INTERVENTION: Rule(_("继续服务")),
        Status.CLOSED: Rule(_("结案"), requires=("closure_reason", "closure_approved")),
    },
    Status.CLOSED: {
        Status.ASSESSMENT: Rule(_("重新开案"), requires=("reopen_reason",)),
    },
}


def allowed_targets(status: str) -> dict[str, Rule]:
    return TRANSITIONS.get(status, {})


def is_allowed(source: str, target: str) -> bool:
    return target in TRANSITIONS.get(source, {})


class Source(models.TextChoices):
    VISIT = "visit", _("探访发现")
    REFERRAL = "referral", _("转介")
    SELF = "self", _("本人申请")
    HOTLINE = "hotline", _("热线")
    DEPARTMENT = "department", _("其他部门")
    OTHER = "other", _("其他")


class ReviewKind(models.TextChoices):
    PLAN = "plan", _("服务计划审核")
    CLOSURE = "closure", _("结案审核")


class ReviewDecision(models.TextChoices):
    PENDING = "pending", _("待审核")
    APPROVED = "approved", _("通过")
    RETURNED = "returned", _("退回")


class ReferralStatus(models.TextChoices):
    PENDING = "pending", _("待接收")
    ACCEPTED = "accepted", _("已接收")
    DECLINED = "declined", _("已拒绝")
