"""The approval chain of a submission (reporting.workflow.SUBMISSION): submit, approve up the
chain (forward) or finally (approve), return with a comment, reopen by the last approver."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from shegong.core.audit import audit_record
from shegong.core.models import AuditLog
from shegong.core.regioncode import RegionCode
from shegong.core.scoping import jurisdiction_of
from shegong.inbox import services as inbox
from shegong.inbox.models import Notification
from shegong.inbox.selectors import members_who_may
from shegong.orgs.selectors import superior_unit, unit_of
from shegong.reporting import workflow
from shegong.reporting.models import StatusChange, Submission
from shegong.reporting.rules import check
from shegong.reporting.services.fill import (
    current_values,
    mark_values,
    submitted_now,
)

OWN_VALUES = (
    "A submission the service's caller already fetched through the reader's scope, locked "
    "for the change."
)


def is_final_reviewer(submission: Submission, unit) -> bool:
    """The defining department's level gives the last approval."""
    if unit is None:
        return False
    return RegionCode(unit.region_id).level <= RegionCode(submission.form.region_code).level


def _fresh(submission: Submission) -> Submission:
    return (
        Submission.objects.unscoped(reason=OWN_VALUES)
        .select_for_update(of=("self",))
        .select_related("form", "unit", "reviewer")
        .get(pk=submission.pk)
    )


def _check(submission: Submission, action: str, user: Any) -> workflow.Transition:
    """The service's own check (the lifecycle checks first): state and jurisdiction."""
    t = workflow.SUBMISSION.by_name[action]
    if not t.starts_from(submission.status):
        raise ValidationError(
            {
                "status": _("报表当前状态为“%(s)s”，不能执行“%(a)s”。")
                % {"s": workflow.SUBMISSION.state_label(submission.status), "a": t.label}
            }
        )
    if user is not None and not jurisdiction_of(user).contains(submission.region_code):
        raise ValidationError({"status": _("该报表不在您的辖区范围内。")})
    return t


def _reviewing_unit(submission: Submission, user: Any):
    unit = unit_of(fetched_by=user) if user is not None else submission.reviewer
    if unit is None or unit.pk != submission.reviewer_id:
        raise ValidationError({"status": _("您的单位不是该报表当前的审核单位。")})
    return unit


def _notify(submission: Submission, t, change: StatusChange, note: str) -> None:
    """On commit: a report sent up is the reviewing unit's to review (its members who may
    review are told, in its region); a report returned or reopened is the filling unit's to
    correct (its members who may fill are told)."""
    if submission.reviewer_id and t.name in ("submit", "forward"):
        unit, kind, perm = (
            submission.reviewer,
            Notification.Kind.REPORT_TO_REVIEW,
            "reporting.review",
        )
    elif t.name in ("return", "reopen"):
        unit, kind, perm = submission.unit, Notification.Kind.REPORT_RETURNED, "reporting.fill"
    else:
        return
    params = {
        "title": submission.form.name[:100],
        "period": f"{submission.period_start:%Y-%m-%d}",
        "unit": submission.unit.name[:100],
        "action": str(t.label),
        "note": note[:100],
    }

    def send() -> None:
        inbox.notify(
            recipient_ids=members_who_may([unit.pk], perm).get(unit.pk, []),
            region_code=unit.region_id,
            kind=kind,
            params=params,
            url=reverse("reporting:submission", args=[submission.pk]),
            key=f"report:{submission.pk}:{t.name}:{change.pk}",
        )

    transaction.on_commit(send)


def _move(submission: Submission, t, user: Any, note: str = "", level=None, unit=None):
    source = submission.status
    submission.status = t.target
    submission._history_user = user
    submission._change_reason = f"{t.label}：{note}" if note else str(t.label)
    submission.save()
    change = StatusChange.objects.create(
        submission=submission,
        action=t.name,
        from_status=source,
        to_status=t.target,
        level=level,
        unit=unit,
        note=note,
        by=user if getattr(user, "pk", None) else None,
    )
    _notify(submission, t, change, note)
    audit_record(
        action=AuditLog.Action.OTHER,
        actor=user,
        obj=submission,
        region_code=submission.region_code,
        detail={"report_action": t.name, "from": source, "to": t.target, "note": note[:200]},
    )
    return submission


@transaction.atomic
def submission_submit(*, submission: Submission, acting_user: Any, today=None) -> Submission:
    """上报: every figure is checked (kinds, bounds, required, cross-field rules); each problem
    is reported on its element's code. The reviewer is the leading unit above the filler."""
    submission = _fresh(submission)
    t = _check(submission, "submit", acting_user)
    unit = unit_of(fetched_by=acting_user) if acting_user is not None else submission.unit
    if unit is None or unit.pk != submission.unit_id:
        raise ValidationError({"status": _("只有填报单位可以上报本单位的报表。")})
    form = submission.form
    errors = check(
        form.elements.all(), form.rules.select_related("left"), current_values(submission)
    )
    if errors:
        raise ValidationError(errors)
    reviewer = superior_unit(submission.unit)
    if reviewer is None:
        raise ValidationError({"status": _("未找到上级审核单位，不能上报。")})
    submitted_now(submission, today)
    submission.reviewer = reviewer
    submission.review_level = RegionCode(reviewer.region_id).level
    submission.approved_level = None
    submission.locked = False
    return _move(submission, t, acting_user, level=submission.review_level, unit=unit)


def _approve(submission: Submission, action: str, acting_user: Any, note: str) -> Submission:
    submission = _fresh(submission)
    t = _check(submission, action, acting_user)
    unit = _reviewing_unit(submission, acting_user)
    final = is_final_reviewer(submission, unit)
    if final != (action == "approve"):
        raise ValidationError(
            {"status": _("请使用“终审通过”。") if final else _("请使用“审核通过，报上级”。")}
        )
    level = RegionCode(unit.region_id).level
    submission.approved_level = level
    submission.last_approved_by = acting_user if getattr(acting_user, "pk", None) else None
    submission.locked = True
    if final:
        submission.reviewer = None
        submission.review_level = None
    else:
        above = superior_unit(unit)
        if above is None:
            raise ValidationError({"status": _("未找到上级审核单位。")})
        submission.reviewer = above
        submission.review_level = RegionCode(above.region_id).level
    _move(submission, t, acting_user, note, level=level, unit=unit)
    mark_values(submission, approved=True)
    return submission


@transaction.atomic
def submission_forward(*, submission: Submission, acting_user: Any, note: str = "") -> Submission:
    """审核通过，报上级: the figures are locked and go to the leading unit above."""
    return _approve(submission, "forward", acting_user, note)


@transaction.atomic
def submission_approve(*, submission: Submission, acting_user: Any, note: str = "") -> Submission:
    """终审通过 by the defining department's level."""
    return _approve(submission, "approve", acting_user, note)


def _back(submission: Submission, action: str, acting_user: Any, note: str) -> Submission:
    t = workflow.SUBMISSION.by_name[action]
    if not (note or "").strip():
        raise ValidationError({"note": _("请填写%(a)s的意见或原因。") % {"a": t.label}})
    level = submission.review_level if action == "return" else submission.approved_level
    unit = unit_of(fetched_by=acting_user) if acting_user is not None else None
    submission.reviewer = None
    submission.review_level = None
    submission.approved_level = None
    submission.locked = False
    _move(submission, t, acting_user, note.strip(), level=level, unit=unit)
    mark_values(submission, approved=False)
    return submission


@transaction.atomic
def submission_return(*, submission: Submission, acting_user: Any, note: str) -> Submission:
    """退回 to the filling unit with a comment; its figures are open again."""
    submission = _fresh(submission)
    _check(submission, "return", acting_user)
    _reviewing_unit(submission, acting_user)
    return _back(submission, "return", acting_user, note)


@transaction.atomic
def submission_reopen(*, submission: Submission, acting_user: Any, note: str) -> Submission:
    """重新开放 an approved report: only the person who approved it last, with the reason
    (kept in the status changes and the history); it goes back to the unit for correction."""
    submission = _fresh(submission)
    _check(submission, "reopen", acting_user)
    if acting_user is not None and submission.last_approved_by_id != acting_user.pk:
        raise ValidationError({"status": _("只有审核通过该报表的人可以重新开放。")})
    return _back(submission, "reopen", acting_user, note)
