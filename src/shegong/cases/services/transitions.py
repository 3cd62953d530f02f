"""A case's moves (the declared workflow.CASE) and its assessment and plan notes."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from shegong.accounts.models import User
from shegong.cases.models import Case, CaseTransition
from shegong.cases.workflow import (
    CASE,
    REQUIRES,
    ReviewDecision,
    ReviewKind,
    Status,
    move_between,
)
from shegong.core.errors import ApplicationError
from shegong.core.permissions import has_perm

LOCKED_ROW = (
    "Locks (and re-reads) a case the caller already read through its scope, or the one a "
    "pending referral offers to the caller's organisation."
)


def _check(case: Case, requirement: str, note: str) -> str | None:
    """The reason a requirement is not met, or None."""
    if requirement == "closure_reason" and not (note or case.closure_reason):
        return _("结案需要填写结案原因。")
    if requirement == "assessment_note" and not (case.assessment_note or note):
        return _("请先填写需求评估结果。")
    if requirement == "plan_goals" and not case.goals.exists():
        return _("服务计划至少需要一个服务目标。")
    if (
        requirement == "plan_approved"
        and not case.reviews.filter(kind=ReviewKind.PLAN, decision=ReviewDecision.APPROVED).exists()
    ):
        return _("服务计划须经督导审核通过后才能开始介入。")
    if requirement == "service_records" and not case.records.exists():
        return _("至少需要一条服务记录才能进入结案评估。")
    if (
        requirement == "closure_approved"
        and not case.reviews.filter(
            kind=ReviewKind.CLOSURE, decision=ReviewDecision.APPROVED
        ).exists()
    ):
        return _("结案须经督导审核通过。")
    if requirement == "reopen_reason" and not note:
        return _("重新开案需要说明原因。")
    return None


@transaction.atomic
def case_transition(*, case: Case, to_status: str, acting_user: User, note: str = "") -> Case:
    """Take the declared move (workflow.CASE) from the case's state to `to_status`."""
    # Lock the row and work on the caller's instance so it reflects the new state.
    case.status = (
        Case.objects.unscoped(reason=LOCKED_ROW)
        .select_for_update()
        .values_list("status", flat=True)
        .get(pk=case.pk)
    )
    move = move_between(case.status, to_status)
    if move is None:
        raise ApplicationError(
            _("不能从「%(a)s」直接转到「%(b)s」。")
            % {
                "a": Status(case.status).label,
                "b": Status(to_status).label if to_status in Status.values else to_status,
            },
            field="status",
            code="forbidden_transition",
        )
    if not has_perm(acting_user, move.perm):
        raise ApplicationError(_("您的角色不能办理此操作。"), code="not_permitted")
    for requirement in REQUIRES.get(move.name, ()):
        reason = _check(case, requirement, note)
        if reason:
            raise ApplicationError(reason, field="status", code=requirement)
    source = case.status
    case.status = to_status
    fields = ["status", "updated_at"]
    if to_status == Status.CLOSED:
        case.closed_on = date.today()
        if note and not case.closure_reason:
            case.closure_reason = note[:200]
        fields += ["closed_on", "closure_reason"]
    if source == Status.ASSESSMENT and note and not case.assessment_note:
        case.assessment_note = note
        fields.append("assessment_note")
    if source == Status.CLOSED:
        case.closed_on = None
        case.closure_reason = ""
        case.reviews.filter(kind=ReviewKind.CLOSURE).update(decision=ReviewDecision.RETURNED)
        fields += ["closed_on", "closure_reason"]
    case._history_user = acting_user
    case.save(update_fields=fields)
    CaseTransition.objects.create(
        case=case, from_status=source, to_status=to_status, by=acting_user, note=note[:300]
    )
    return case


def case_move(*, case: Case, to_status: str, acting_user: User, note: str = "") -> Case:
    """A move named by its target state (the old routes, `to_status`): the declared transition,
    checked and taken like any other (core.workflow); a move that is not declared is refused
    with the reason."""
    move = move_between(case.status, to_status)
    if move is None:
        return case_transition(case=case, to_status=to_status, acting_user=acting_user, note=note)
    return CASE.perform(move.name, obj=case, acting_user=acting_user, data={"note": note})


@transaction.atomic
def case_update_notes(*, case: Case, acting_user: User, data: dict) -> Case:
    allowed = {"assessment_note", "plan_summary", "evaluation_note", "problem"}
    fields = [k for k in data if k in allowed]
    for k in fields:
        setattr(case, k, data[k])
    case._history_user = acting_user
    case.save(update_fields=[*fields, "updated_at"])
    return case
