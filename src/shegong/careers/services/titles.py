"""Title evaluation (职称评审): a province opens a round with its conditions; a candidate
applies; the employer confirms; the panel scores and decides; the result is publicly notified
for at least 5 working days (workdays.obligations "title_notice"); then it takes effect as a
workforce.Certificate of the round's level (the daily sweep), unless an objection is upheld."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shegong.careers import workflow
from shegong.careers.models import (
    EDUCATION_RANK,
    TitleApplication,
    TitleEvent,
    TitleRound,
)
from shegong.core.audit import audit_record
from shegong.core.models import AuditLog
from shegong.core.permissions import has_perm
from shegong.core.regioncode import RegionCode
from shegong.core.scoping import ensure_in_jurisdiction, jurisdiction_of
from shegong.workdays.obligations import fields_of, obligation_set
from shegong.workforce.models import Certificate, WorkerProfile, WorkerStatus

SWEEP = (
    "The daily sweep takes effect every title result whose public notice has ended, in every "
    "jurisdiction (the system, no user)"
)


def _today() -> date:
    return timezone.localdate()


@transaction.atomic
def round_open(
    *,
    acting_user: Any,
    title: str,
    level: str,
    year: int,
    closes_on: date,
    min_education: str,
    min_years: int,
    exam_required: bool = True,
    exam_valid_years: int = 3,
    achievements_required: bool = True,
    pass_score: int = 60,
) -> TitleRound:
    """A province (or the nation) opens a title round for one level (发布评审通知)."""
    if not has_perm(acting_user, "careers.title_manage"):
        raise ValidationError({"level": _("您的角色不能组织职称评审。")})
    membership = acting_user.active_membership
    organisation = membership.organisation
    if RegionCode(organisation.region_id).level > 1:
        raise ValidationError({"level": _("职称评审由省级（或全国）社会工作部门组织。")})
    if closes_on < _today():
        raise ValidationError({"closes_on": _("申报截止日期不能早于今天。")})
    found = TitleRound(
        organisation=organisation,
        region_code=organisation.region_id,
        title=title,
        level=level,
        year=year,
        closes_on=closes_on,
        min_education=min_education,
        min_years=min_years,
        exam_required=exam_required,
        exam_valid_years=exam_valid_years,
        achievements_required=achievements_required,
        pass_score=pass_score,
        created_by=acting_user,
    )
    found._history_user = acting_user
    found.full_clean()
    found.save()
    audit_record(action=AuditLog.Action.OTHER, actor=acting_user, obj=found)
    return found


def eligibility_problems(
    round: TitleRound,
    worker: WorkerProfile,
    *,
    years: int,
    exam_passed_on: date | None,
    achievements: str,
    today: date,
) -> dict[str, str]:
    """What keeps a candidate from a round (empty: eligible), field by field."""
    problems: dict[str, str] = {}
    if EDUCATION_RANK.get(worker.education, 0) < EDUCATION_RANK.get(round.min_education, 0):
        problems["worker"] = _("学历不符合申报条件（最低要求：%(e)s）。") % {
            "e": round.get_min_education_display()
        }
    if years < round.min_years:
        problems["years_in_social_work"] = _("从事社会工作年限不足 %(n)s 年。") % {
            "n": round.min_years
        }
    if round.exam_required:
        if exam_passed_on is None:
            problems["exam_passed_on"] = _("须填写考试通过日期。")
        else:
            try:
                expires = exam_passed_on.replace(year=exam_passed_on.year + round.exam_valid_years)
            except ValueError:  # 29 February
                expires = exam_passed_on.replace(
                    year=exam_passed_on.year + round.exam_valid_years, day=28
                )
            if exam_passed_on > today:
                problems["exam_passed_on"] = _("考试通过日期不能晚于今天。")
            elif expires < today:
                problems["exam_passed_on"] = _("考试成绩已超过 %(n)s 年有效期。") % {
                    "n": round.exam_valid_years
                }
    if round.achievements_required and not achievements.strip():
        problems["achievements"] = _("须提交业绩成果。")
    return problems


@transaction.atomic
def application_create(
    *,
    acting_user: Any,
    round: TitleRound,
    worker: WorkerProfile,
    years_in_social_work: int,
    exam_passed_on: date | None = None,
    achievements: str = "",
    statement: str = "",
) -> TitleApplication:
    """A candidate applies (申报), with their materials; the conditions are checked here."""
    if not has_perm(acting_user, "careers.title_apply"):
        raise ValidationError({"worker": _("您的角色不能申报职称。")})
    ensure_in_jurisdiction(acting_user, worker.region_code, field="worker")
    if not (
        jurisdiction_of(acting_user).contains(round.region_code)
        or RegionCode(worker.region_code).within(RegionCode(round.region_code).prefix)
    ):
        raise ValidationError({"round": _("该评审不在申报人所在地区。")})
    if round.status != TitleRound.Status.OPEN or round.closes_on < _today():
        raise ValidationError({"round": _("该评审已截止申报。")})
    if worker.status != WorkerStatus.IN_POST:
        raise ValidationError({"worker": _("申报人须在岗。")})
    if TitleApplication.objects.visible_to(acting_user).filter(round=round, worker=worker).exists():
        raise ValidationError({"worker": _("已申报过本次评审。")})
    problems = eligibility_problems(
        round,
        worker,
        years=years_in_social_work,
        exam_passed_on=exam_passed_on,
        achievements=achievements,
        today=_today(),
    )
    if problems:
        raise ValidationError(problems)
    application = TitleApplication(
        round=round,
        worker=worker,
        region_code=worker.region_code,
        years_in_social_work=years_in_social_work,
        exam_passed_on=exam_passed_on,
        achievements=achievements,
        statement=statement,
    )
    application._history_user = acting_user
    application.save()
    _event(application, "apply", "", workflow.APPLIED, acting_user, "")
    audit_record(action=AuditLog.Action.OTHER, actor=acting_user, obj=application)
    return application


# ---- the lifecycle's services ----------------------------------------------------------------


def _event(application, action, source, target, user, note) -> None:
    TitleEvent.objects.create(
        application=application,
        action=action,
        from_status=source,
        to_status=target,
        actor=user if getattr(user, "is_authenticated", False) else None,
        note=note,
    )


def _locked(application: TitleApplication) -> TitleApplication:
    return (
        TitleApplication.objects.unscoped(reason="Re-read under a lock a row the caller fetched")
        .select_for_update(of=("self",))
        .select_related("round", "worker")
        .get(pk=application.pk)
    )


def _move(
    application: TitleApplication,
    action: str,
    user: Any,
    note: str = "",
    fields: tuple[str, ...] = (),
) -> TitleApplication:
    transition = workflow.APPLICATION.by_name[action]
    if not transition.starts_from(application.status):
        raise ValidationError(
            {
                "status": _("申报当前状态为“%(s)s”，不能执行“%(a)s”。")
                % {"s": workflow.label_of(application.status), "a": transition.label}
            }
        )
    if user is not None and not jurisdiction_of(user).contains(application.region_code):
        raise ValidationError({"status": _("该申报不在您的辖区范围内。")})
    source = application.status
    application.status = transition.target
    application._history_user = user
    application.save(update_fields=["status", "updated_at", *fields])
    _event(application, action, source, transition.target, user, note)
    audit_record(
        action=AuditLog.Action.OTHER,
        actor=user,
        obj=application,
        region_code=application.region_code,
        detail={"title_action": action, "from": source, "to": transition.target},
    )
    return application


@transaction.atomic
def application_confirm(*, application, acting_user, note: str = "") -> TitleApplication:
    """The employer confirms the candidate's materials are true (单位审核确认)."""
    application = _locked(application)
    application.confirmed_by = acting_user
    application.confirmed_on = _today()
    return _move(application, "confirm", acting_user, note, ("confirmed_by", "confirmed_on"))


@transaction.atomic
def application_return(*, application, acting_user, note: str = "") -> TitleApplication:
    if not note.strip():
        raise ValidationError({"note": _("请说明退回原因。")})
    return _move(_locked(application), "return", acting_user, note)


@transaction.atomic
def application_score(
    *, application, acting_user, score: int, comment: str = ""
) -> TitleApplication:
    """The panel's score (评审委员会评分), kept with its comment in the history."""
    application = _locked(application)
    application.score = score
    application.panel_comment = comment
    return _move(
        application,
        "score",
        acting_user,
        _("评分 %(s)s 分。%(c)s") % {"s": score, "c": comment},
        ("score", "panel_comment"),
    )


@transaction.atomic
def application_pass(*, application, acting_user, note: str = "") -> TitleApplication:
    application = _locked(application)
    if application.score is None or application.score < application.round.pass_score:
        raise ValidationError(
            {
                "status": _("评分未达到通过分数线（%(p)s 分）。")
                % {"p": application.round.pass_score}
            }
        )
    application.decided_on = _today()
    return _move(application, "pass", acting_user, note, ("decided_on",))


@transaction.atomic
def application_fail(*, application, acting_user, note: str = "") -> TitleApplication:
    application = _locked(application)
    application.decided_on = _today()
    return _move(application, "fail", acting_user, note, ("decided_on",))


@transaction.atomic
def application_publish(*, application, acting_user) -> TitleApplication:
    """Publish the result (公示): the notice runs at least 5 working days from tomorrow."""
    application = _locked(application)
    obligation_set(application, "title_notice", _today())
    return _move(
        application,
        "publish",
        acting_user,
        _("公示至 %(d)s。") % {"d": application.notice_until},
        tuple(f for f in fields_of("title_notice")),
    )


@transaction.atomic
def application_object(*, application, acting_user, objection: str) -> TitleApplication:
    application = _locked(application)
    application.objection = objection
    return _move(application, "object", acting_user, objection, ("objection",))


@transaction.atomic
def application_dismiss(*, application, acting_user, note: str = "") -> TitleApplication:
    """The objection does not stand: the notice runs again for 5 working days from today."""
    application = _locked(application)
    obligation_set(application, "title_notice", _today())
    return _move(application, "dismiss", acting_user, note, tuple(fields_of("title_notice")))


@transaction.atomic
def application_uphold(*, application, acting_user, note: str = "") -> TitleApplication:
    return _move(_locked(application), "uphold", acting_user, note)


@transaction.atomic
def application_take_effect(
    *, application, acting_user=None, today: date | None = None
) -> TitleApplication:
    """The notice has ended without objection: the level takes effect on the profile as a
    qualification certificate of the round's level (workforce.Certificate)."""
    application = _locked(application)
    today = today or _today()
    if application.notice_until is None or application.notice_until >= today:
        raise ValidationError({"status": _("公示期尚未届满。")})
    certificate = Certificate.objects.create(
        worker=application.worker,
        region_code=application.worker.region_code,
        level=application.round.level,
        number=f"PS{application.round.year}-{application.round_id:04d}-{application.pk:06d}",
        issued_on=today,
        issuing_body=application.round.organisation.name[:100],
    )
    application.certificate = certificate
    application.effective_on = today
    return _move(application, "take_effect", acting_user, "", ("certificate", "effective_on"))


def notice_sweep(*, today: date | None = None) -> int:
    """The daily sweep: every application whose notice ended before today takes effect."""
    today = today or _today()
    due = list(
        TitleApplication.objects.unscoped(reason=SWEEP)
        .filter(status=workflow.NOTICE, notice_until__lt=today)
        .values_list("pk", flat=True)
    )
    for pk in due:
        application_take_effect(application=TitleApplication(pk=pk), acting_user=None, today=today)
    return len(due)
