"""The supervisor's reviews of a case's plan and closure (督导审核)."""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from shegong.accounts.models import User
from shegong.cases.models import Case, Review
from shegong.cases.workflow import (
    ReviewDecision,
    ReviewKind,
    Status,
)
from shegong.core.errors import ApplicationError
from shegong.core.permissions import has_perm
from shegong.inbox import services as inbox
from shegong.inbox.models import msgid_of

REVIEW_DAYS = 3


@transaction.atomic
def review_request(*, case: Case, kind: str, acting_user: User, closure_reason: str = "") -> Review:
    if kind == ReviewKind.PLAN and case.status != Status.PLANNING:
        raise ApplicationError(_("只有在「服务计划」阶段才能提交计划审核。"))
    if kind == ReviewKind.PLAN and not case.goals.exists():
        raise ApplicationError(_("服务计划至少需要一个服务目标。"))
    if kind == ReviewKind.CLOSURE:
        if case.status != Status.EVALUATION:
            raise ApplicationError(_("只有在「结案评估」阶段才能申请结案审核。"))
        if not closure_reason.strip():
            raise ValidationError({"closure_reason": _("请填写结案原因。")})
        case.closure_reason = closure_reason.strip()[:200]
        case._history_user = acting_user
        case.save(update_fields=["closure_reason", "updated_at"])
    if case.supervisor_id is None:
        raise ApplicationError(_("个案没有指定督导，无法提交审核。"))
    if case.reviews.filter(kind=kind, decision=ReviewDecision.PENDING).exists():
        raise ApplicationError(_("已有待审核的申请。"))
    review = Review(
        case=case,
        kind=kind,
        reviewer=case.supervisor,
        due_date=date.today() + timedelta(days=REVIEW_DAYS),
    )
    review._history_user = acting_user
    review.save()
    inbox.notify(
        recipient_ids=[review.reviewer_id],
        region_code=case.region_code,
        kind="review_requested",
        params={
            "number": case.number,
            "kind_label": msgid_of(ReviewKind(kind).label),
            "due": review.due_date.isoformat(),
        },
        url=reverse("cases:detail", args=[case.pk]),
        key=f"case-review-requested:{review.pk}",
    )
    return review


@transaction.atomic
def review_decide(*, review: Review, acting_user: User, approve: bool, comment: str = "") -> Review:
    if review.decision != ReviewDecision.PENDING:
        raise ApplicationError(_("该审核已处理。"))
    if review.reviewer_id != acting_user.pk and not has_perm(acting_user, "cases.review"):
        raise ApplicationError(_("只有该个案的督导可以审核。"))
    if not approve and not comment.strip():
        raise ValidationError({"comment": _("退回时请写明意见。")})
    review.decision = ReviewDecision.APPROVED if approve else ReviewDecision.RETURNED
    review.comment = comment[:300]
    review.decided_at = timezone.now()
    review._history_user = acting_user
    review.save(update_fields=["decision", "comment", "decided_at"])
    return review
