"""Writes for cases: intake, transitions (the moves declared in workflow.CASE), plan, records,
supervisor reviews and referrals."""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from shegong.accounts.models import User
from shegong.cases.models import Case, CaseTransition, Goal, Referral, Review, ServiceRecord, Task
from shegong.cases.workflow import (
    CASE,
    REQUIRES,
    ReferralStatus,
    ReviewDecision,
    ReviewKind,
    Source,
    Status,
    move_between,
)
from shegong.core.errors import ApplicationError
from shegong.core.permissions import has_perm
from shegong.core.scoping import jurisdiction_of
from shegong.core.validation import check_past_event_date
from shegong.inbox import selectors as inbox_selectors
from shegong.inbox import services as inbox
from shegong.inbox.models import msgid_of
from shegong.orgs.models import Organisation
from shegong.orgs.selectors import department_to_contact
from shegong.privacy.selectors import ensure_sharing_allowed

LOCKED_ROW = (
    "Locks (and re-reads) a case the caller already read through its scope, or the one a "
    "pending referral offers to the caller's organisation."
)

ORG_MEMBERS = (
    "The supervisor among the members of the case's organisation, which the caller has "
    "already authorised."
)

REVIEW_DAYS = 3


def _org_of(user: User) -> Organisation:
    membership = getattr(user, "active_membership", None)
    if membership is None:
        raise ApplicationError(_("您没有有效的任职，不能办理个案。"))
    return membership.organisation


@transaction.atomic
def case_open(
    *,
    acting_user: User,
    resident,
    title: str,
    source: str,
    problem: str = "",
    source_visit=None,
    supervisor: User | None = None,
    worker: User | None = None,
) -> Case:
    if source not in Source.values:
        raise ValidationError({"source": _("请选择个案来源。")})
    if not (title or "").strip():
        raise ValidationError({"title": _("请填写个案名称。")})
    org = _org_of(acting_user)
    case = Case(
        resident=resident,
        organisation=org,
        region_code=org.region_id,
        status=Status.INTAKE,
        source=source,
        source_visit=source_visit,
        title=title.strip(),
        problem=problem,
        worker=worker or acting_user,
        supervisor=supervisor or default_supervisor(org),
    )
    case._history_user = acting_user
    case.save()
    CaseTransition.objects.create(
        case=case, from_status="", to_status=Status.INTAKE, by=acting_user, note=_("接案")
    )
    return case


def default_supervisor(org: Organisation) -> User | None:
    return (
        User.objects.unscoped(reason=ORG_MEMBERS)
        .filter(
            memberships__organisation=org,
            memberships__role="supervisor",
            memberships__is_active=True,
        )
        .order_by("id")
        .first()
    )


@transaction.atomic
def case_from_visit(*, visit, acting_user: User) -> Case:
    """One click from a visit finding: a case with the finding as its problem, linked back."""
    existing = (
        Case.objects.unscoped(
            reason="One case per visit finding, wherever the case went since (a referral may "
            "move it to another county); outside the jurisdiction only whom to contact leaves."
        )
        .filter(source_visit=visit)
        .first()
    )
    if existing is not None:
        if jurisdiction_of(acting_user).contains(existing.region_code):
            return existing
        raise ApplicationError(
            _("该探访发现已建立个案，现由其他辖区办理，请联系%(dept)s。")
            % {"dept": department_to_contact(existing.region_code)}
        )
    from shegong.people.selectors import visit_findings

    findings = visit_findings(visit=visit, fetched_by=acting_user)
    problem = "\n".join(f"{label}：{text}" for label, text in findings)
    return case_open(
        acting_user=acting_user,
        resident=visit.resident,
        title=_("%(n)s 探访发现（%(d)s）") % {"n": visit.resident.name, "d": visit.visited_on},
        source=Source.VISIT,
        problem=problem,
        source_visit=visit,
    )


# ---- transitions -------------------------------------------------------------------------------


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


# ---- plan --------------------------------------------------------------------------------------


def _ensure_open(case: Case) -> None:
    if case.status == Status.CLOSED:
        raise ApplicationError(_("个案已结案，请先重新开案。"))


def goal_add(*, case: Case, acting_user: User, text: str) -> Goal:
    _ensure_open(case)
    if not text.strip():
        raise ValidationError({"text": _("请填写服务目标。")})
    goal = Goal(case=case, text=text.strip())
    goal._history_user = acting_user
    goal.save()
    return goal


def task_add(
    *,
    case: Case,
    acting_user: User,
    title: str,
    owner: User,
    due_date: date,
    goal: Goal | None = None,
) -> Task:
    _ensure_open(case)
    if not title.strip():
        raise ValidationError({"title": _("请填写任务内容。")})
    task = Task(case=case, title=title.strip(), owner=owner, due_date=due_date, goal=goal)
    task._history_user = acting_user
    task.save()
    return task


def task_done(*, task: Task, acting_user: User) -> Task:
    task.done_on = date.today()
    task._history_user = acting_user
    task.save(update_fields=["done_on"])
    return task


def record_add(
    *,
    case: Case,
    acting_user: User,
    served_on: date,
    kind: str,
    content: str,
    duration_minutes: int = 60,
    goods: str = "",
) -> ServiceRecord:
    if case.status != Status.INTERVENTION:
        raise ApplicationError(_("只有在「服务介入」阶段才能登记服务记录。"))
    check_past_event_date(served_on, field="served_on")
    record = ServiceRecord(
        case=case,
        served_on=served_on,
        kind=kind,
        content=content,
        duration_minutes=duration_minutes,
        goods=goods,
        recorded_by=acting_user,
    )
    record._history_user = acting_user
    record.full_clean(exclude=["case"])
    record.save()
    return record


# ---- reviews -----------------------------------------------------------------------------------


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


# ---- referrals ---------------------------------------------------------------------------------


@transaction.atomic
def referral_create(
    *, case: Case, acting_user: User, to_organisation: Organisation, reason: str
) -> Referral:
    _ensure_open(case)
    if to_organisation.pk == case.organisation_id:
        raise ValidationError({"to_organisation": _("不能转介给本机构。")})
    if not reason.strip():
        raise ValidationError({"reason": _("请填写转介原因。")})
    if case.referrals.filter(status=ReferralStatus.PENDING).exists():
        raise ApplicationError(_("该个案已有待接收的转介。"))
    # Providing the resident's information to an organisation outside the public administration
    # needs their (or their guardian's) consent or a statutory basis (PIPL Arts. 13, 23).
    ensure_sharing_allowed(case.resident, to_organisation, field="to_organisation")
    referral = Referral(
        case=case,
        from_organisation=case.organisation,
        to_organisation=to_organisation,
        reason=reason.strip(),
        referred_by=acting_user,
    )
    referral._history_user = acting_user
    referral.save()
    inbox.notify(
        recipient_ids=inbox_selectors.members_who_may(
            [to_organisation.pk], "cases.respond_referral"
        ).get(to_organisation.pk, []),
        region_code=to_organisation.region_id,
        kind="case_referred",
        params={"number": case.number, "reason": referral.reason[:100]},
        url=reverse("cases:referrals"),
        key=f"case-referral:{referral.pk}",
    )
    return referral


@transaction.atomic
def referral_respond(
    *, referral: Referral, acting_user: User, accept: bool, reason: str = ""
) -> Referral:
    """The receiving organisation answers; on acceptance the case moves to it."""
    if referral.status != ReferralStatus.PENDING:
        raise ApplicationError(_("该转介已答复。"))
    if _org_of(acting_user).pk != referral.to_organisation_id:
        raise ApplicationError(_("只有接收机构可以答复转介。"))
    if not accept and not reason.strip():
        raise ValidationError({"reason": _("拒绝转介时请说明原因。")})
    if accept:  # the consent may have been withdrawn while the referral waited
        ensure_sharing_allowed(
            referral.case.resident, referral.to_organisation, field="to_organisation"
        )
    referral.status = ReferralStatus.ACCEPTED if accept else ReferralStatus.DECLINED
    referral.response_reason = reason.strip()[:300]
    referral.responded_by = acting_user
    referral.responded_at = timezone.now()
    referral._history_user = acting_user
    referral.save()
    if accept:
        case = Case.objects.unscoped(reason=LOCKED_ROW).select_for_update().get(pk=referral.case_id)
        org = referral.to_organisation
        case.organisation = org
        case.region_code = org.region_id
        case.worker = acting_user
        case.supervisor = default_supervisor(org)
        case._history_user = acting_user
        case.save(
            update_fields=["organisation", "region_code", "worker", "supervisor", "updated_at"]
        )
        CaseTransition.objects.create(
            case=case,
            from_status=case.status,
            to_status=case.status,
            by=acting_user,
            note=_("转介至 %(o)s，已接收") % {"o": org.name},
        )
    return referral
