"""Mentoring (督导带教): pairs within a department's subtree, sessions of theory or practice.

A mentor holds a higher level than the mentee, or is an approved supervisor; a mentor takes at
most `SHEGONG_WORKFORCE_MAX_MENTEES` mentees at once (default 8, Shenzhen's 1 : 8). A practice
session is linked to a real visit (people.Visit) or case (cases.Case) in the jurisdiction. The
mentee's session hours are credited to the continuing-education ledger, counted up to the
mentoring cap of each period (rules.mentoring_cap)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shegong.core.scoping import ensure_in_jurisdiction, jurisdiction_of
from shegong.workforce import rules
from shegong.workforce.models import (
    HoursCredit,
    MentoringSession,
    MentorPair,
    TrainingKind,
    WorkerProfile,
    WorkerStatus,
)
from shegong.workforce.services.common import audit, decimal_hours

ONE_MENTOR = "A mentee has one mentor at a time, wherever the pair was made."
MENTEE_COUNT = "A mentor's load counts every active pair, wherever the pair was made."


def max_mentees() -> int:
    return int(getattr(settings, "SHEGONG_WORKFORCE_MAX_MENTEES", 8))


def _rank(worker: WorkerProfile) -> int:
    return rules.RANK.get(worker.highest_level, 0)


@transaction.atomic
def pair_create(
    *,
    mentor: WorkerProfile,
    mentee: WorkerProfile,
    acting_user,
    goals: str,
    started_on: date | None = None,
) -> MentorPair:
    for who, field in ((mentor, "mentor"), (mentee, "mentee")):
        ensure_in_jurisdiction(acting_user, who.region_code, field=field)
        if who.status != WorkerStatus.IN_POST:
            raise ValidationError({field: _("%(name)s 已离职。") % {"name": who.name}})
    if mentor.pk == mentee.pk:
        raise ValidationError({"mentor": _("导师与带教对象不能是同一人。")})
    if not (mentor.approved_supervisor or _rank(mentor) > _rank(mentee)):
        raise ValidationError(
            {"mentor": _("导师须持有高于带教对象的职业水平等级，或为经认定的督导。")}
        )
    if not (goals or "").strip():
        raise ValidationError({"goals": _("请填写带教计划目标。")})
    # Lock the mentor's row: two pairings at once cannot both take the last place.
    WorkerProfile.objects.unscoped(
        reason="Locks the mentor, read in scope above, against a concurrent pairing."
    ).select_for_update().filter(pk=mentor.pk).first()
    if (
        MentorPair.objects.unscoped(reason=ONE_MENTOR)
        .filter(mentee=mentee, status=MentorPair.Status.ACTIVE)
        .exists()
    ):
        raise ValidationError({"mentee": _("%(name)s 已有导师。") % {"name": mentee.name}})
    limit = max_mentees()
    current = (
        MentorPair.objects.unscoped(reason=MENTEE_COUNT)
        .filter(mentor=mentor, status=MentorPair.Status.ACTIVE)
        .count()
    )
    if current >= limit:
        raise ValidationError(
            {
                "mentor": _(
                    "%(name)s 已带教 %(n)d 人，达到每名导师最多 %(max)d 人的上限，请选择其他导师。"
                )
                % {"name": mentor.name, "n": current, "max": limit}
            },
            code="max_mentees",
        )
    pair = MentorPair.objects.create(
        mentor=mentor,
        mentee=mentee,
        region_code=mentee.region_code,
        started_on=started_on or timezone.localdate(),
        goals=goals.strip(),
    )
    audit(pair, acting_user=acting_user, event="pair_create")
    return pair


@transaction.atomic
def pair_close(*, pair: MentorPair, acting_user, evaluation: str, closed_on: date | None = None):
    if pair.status != MentorPair.Status.ACTIVE:
        raise ValidationError({"evaluation": _("该带教已结束。")})
    if not (evaluation or "").strip():
        raise ValidationError({"evaluation": _("请填写结束评估。")})
    pair.status = MentorPair.Status.CLOSED
    pair.closed_on = closed_on or timezone.localdate()
    pair.evaluation = evaluation.strip()
    pair.save(update_fields=["status", "closed_on", "evaluation", "updated_at"])
    audit(pair, acting_user=acting_user, event="pair_close")
    return pair


@transaction.atomic
def session_record(
    *,
    pair: MentorPair,
    acting_user,
    held_on: date,
    kind: str,
    hours: Decimal | str,
    topic: str,
    notes: str = "",
    visit=None,
    case=None,
) -> MentoringSession:
    if pair.status != MentorPair.Status.ACTIVE:
        raise ValidationError({"held_on": _("该带教已结束。")})
    if kind not in TrainingKind.values:
        raise ValidationError({"kind": _("请选择类型。")})
    if held_on > timezone.localdate() or held_on < pair.started_on:
        raise ValidationError({"held_on": _("日期应在带教开始之后、今天之前。")})
    if not (topic or "").strip():
        raise ValidationError({"topic": _("请填写主题。")})
    if kind == TrainingKind.PRACTICE:
        if visit is None and case is None:
            raise ValidationError({"visit": _("实务带教须关联一次探访或一个个案。")})
        jurisdiction = jurisdiction_of(acting_user)
        for linked, field in ((visit, "visit"), (case, "case")):
            code = getattr(linked, "region_code", None) or getattr(linked, "region_id", None)
            if linked is not None and not jurisdiction.contains(code or ""):
                raise ValidationError({field: _("关联的记录不在您的辖区范围内。")})
    else:
        visit = case = None
    session = MentoringSession.objects.create(
        pair=pair,
        region_code=pair.region_code,
        held_on=held_on,
        kind=kind,
        hours=decimal_hours(hours, most=24),
        topic=topic.strip(),
        notes=notes,
        visit=visit,
        case=case,
    )
    HoursCredit.objects.create(
        worker_id=pair.mentee_id,
        region_code=pair.region_code,
        credited_on=held_on,
        hours=session.hours,
        source=HoursCredit.Source.MENTORING,
        kind=kind,
        session=session,
    )
    audit(pair, acting_user=acting_user, event="session_record", kind=kind)
    return session
