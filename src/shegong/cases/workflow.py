"""The case lifecycle (个案), declared in the one format of core.workflow.

`CASE` lists every move with who may take it; `cases.services.case_transition` is the only way a
case changes state. `REQUIRES` names the checks a move needs (`cases.services._check`), so a
forbidden move is refused with a reason a person understands.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from shegong.core.workflow import Lifecycle, Transition


class Status(models.TextChoices):
    INTAKE = "intake", _("接案")
    ASSESSMENT = "assessment", _("需求评估")
    PLANNING = "planning", _("服务计划")
    INTERVENTION = "intervention", _("服务介入")
    EVALUATION = "evaluation", _("结案评估")
    CLOSED = "closed", _("已结案")


OPEN_STATUSES = tuple(s for s in Status.values if s != Status.CLOSED)

INTAKE = Status.INTAKE.value
ASSESSMENT = Status.ASSESSMENT.value
PLANNING = Status.PLANNING.value
INTERVENTION = Status.INTERVENTION.value
EVALUATION = Status.EVALUATION.value
CLOSED = Status.CLOSED.value

_S = "shegong.cases.services."
_NOTE = "shegong.cases.forms.TransitionNoteForm"
_LOG = "cases.CaseTransition"


def _to(target: str) -> Callable[[dict[str, Any], Any], dict[str, Any]]:
    """The service's inputs for a move to `target`: the form's note and the target."""

    def inputs(data: dict[str, Any], case: Any) -> dict[str, Any]:
        return {"note": data.get("note") or "", "to_status": target}

    return inputs


def _move(name: str, label, source: str, target: str, **extra: Any) -> Transition:
    return Transition(
        name,
        label,
        (source,),
        target,
        "cases.edit",
        _S + "case_transition",
        form=_NOTE,
        actor="holder",
        records=_LOG,
        inputs=_to(target),
        **extra,
    )


CASE = Lifecycle(
    key="cases.case",
    label=_("个案"),
    model="cases.Case",
    states=Status,
    object_arg="case",
    fetch="shegong.cases.selectors.get_case_for",
    view_perm="cases.view",
    url_name="cases:case_transition",
    actors="shegong.cases.workflow.actors",
    transitions=(
        _move("assess", _("开始评估"), INTAKE, ASSESSMENT),
        _move("decline", _("不予接案并结案"), INTAKE, CLOSED, style="outline-danger"),
        _move("plan", _("评估完成，制定计划"), ASSESSMENT, PLANNING),
        _move("close_unneeded", _("无需服务，结案"), ASSESSMENT, CLOSED, style="outline-danger"),
        _move("intervene", _("开始服务介入"), PLANNING, INTERVENTION),
        _move("evaluate", _("进入结案评估"), INTERVENTION, EVALUATION),
        _move("resume", _("继续服务"), EVALUATION, INTERVENTION, style="outline-secondary"),
        _move("close", _("结案"), EVALUATION, CLOSED),
        _move("reopen", _("重新开案"), CLOSED, ASSESSMENT),
    ),
)

# The checks each move needs before it is taken (cases.services._check).
REQUIRES: dict[str, tuple[str, ...]] = {
    "decline": ("closure_reason",),
    "plan": ("assessment_note",),
    "close_unneeded": ("closure_reason",),
    "intervene": ("plan_goals", "plan_approved"),
    "evaluate": ("service_records",),
    "close": ("closure_reason", "closure_approved"),
    "reopen": ("reopen_reason",),
}


def actors(case: Any, user: Any) -> set[str]:
    """The relations `user` stands in to `case`: "holder" when their organisation holds it and
    they may work on it (departments read)."""
    from shegong.cases.selectors import may_act_on

    return {"holder"} if may_act_on(fetched_by=user, case=case) else set()


def move_between(source: str, target: str) -> Transition | None:
    """The declared move from `source` to `target` (None: there is none)."""
    return next((t for t in CASE.transitions if t.target == target and t.starts_from(source)), None)


# source → {target: transition}: the moves from each state (a view of CASE).
TRANSITIONS: dict[str, dict[str, Transition]] = {
    state: {t.target: t for t in CASE.transitions if t.starts_from(state) and t.target}
    for state in Status.values
}


def allowed_targets(status: str) -> dict[str, Transition]:
    return TRANSITIONS.get(status, {})


def is_allowed(source: str, target: str) -> bool:
    return move_between(source, target) is not None


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


def _to_case(result: Any, obj: Any) -> str:
    """After a review or an accepted referral: back to the case's page."""
    from django.urls import reverse

    return reverse("cases:detail", args=[obj.case_id])


def _to_inbox(result: Any, obj: Any) -> str:
    from django.urls import reverse

    return reverse("cases:referrals")


def _decide(approve: bool) -> Callable[[dict[str, Any], Any], dict[str, Any]]:
    def inputs(data: dict[str, Any], review: Any) -> dict[str, Any]:
        return {"approve": approve, "comment": data.get("comment") or ""}

    return inputs


def _respond(accept: bool) -> Callable[[dict[str, Any], Any], dict[str, Any]]:
    def inputs(data: dict[str, Any], referral: Any) -> dict[str, Any]:
        return {"accept": accept, "reason": data.get("reason") or ""}

    return inputs


# A supervisor's review of a case's plan or closure (督导审核): requested by the case's worker
# (cases.services.review_request), decided here.
REVIEW = Lifecycle(
    key="cases.review",
    label=_("督导审核"),
    model="cases.Review",
    states=ReviewDecision,
    state_field="decision",
    object_arg="review",
    fetch="shegong.cases.selectors.get_review_for",
    view_perm="cases.review",
    url_name="cases:review_transition",
    transitions=(
        Transition(
            "approve",
            _("通过"),
            (ReviewDecision.PENDING.value,),
            ReviewDecision.APPROVED.value,
            "cases.review",
            _S + "review_decide",
            form="shegong.cases.forms.ReviewDecisionForm",
            inputs=_decide(True),
            done=_("审核意见已保存。"),
            next_url=_to_case,
            style="success",
        ),
        Transition(
            "return",
            _("退回"),
            (ReviewDecision.PENDING.value,),
            ReviewDecision.RETURNED.value,
            "cases.review",
            _S + "review_decide",
            form="shegong.cases.forms.ReviewDecisionForm",
            inputs=_decide(False),
            done=_("审核意见已保存。"),
            next_url=_to_case,
            style="outline-danger",
            help=_("退回时请写明意见。"),
        ),
    ),
)

# A referral of a case to another organisation (转介): made by the holder
# (cases.services.referral_create), answered here by the organisation receiving it.
REFERRAL = Lifecycle(
    key="cases.referral",
    label=_("转介"),
    model="cases.Referral",
    states=ReferralStatus,
    object_arg="referral",
    fetch="shegong.cases.selectors.get_referral_for",
    view_perm="cases.respond_referral",
    url_name="cases:referral_transition",
    transitions=(
        Transition(
            "accept",
            _("接收"),
            (ReferralStatus.PENDING.value,),
            ReferralStatus.ACCEPTED.value,
            "cases.respond_referral",
            _S + "referral_respond",
            form="shegong.cases.forms.RespondForm",
            inputs=_respond(True),
            done=_("已接收转介，个案已转入本机构。"),
            next_url=_to_case,
        ),
        Transition(
            "decline",
            _("拒绝"),
            (ReferralStatus.PENDING.value,),
            ReferralStatus.DECLINED.value,
            "cases.respond_referral",
            _S + "referral_respond",
            form="shegong.cases.forms.RespondForm",
            inputs=_respond(False),
            done=_("已拒绝转介。"),
            next_url=_to_inbox,
            style="outline-danger",
            help=_("拒绝转介时请说明原因。"),
        ),
    ),
)

LIFECYCLES = (CASE, REVIEW, REFERRAL)
