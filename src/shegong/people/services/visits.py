"""Writes for care visits: visit cadences and plans, major events, assessments and visits."""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from shegong.accounts.models import User
from shegong.core.validation import check_past_event_date, not_before
from shegong.people.models import (
    Assessment,
    Resident,
    ResidentStatus,
    RiskLevel,
    Visit,
    VisitCadence,
    VisitPlan,
)
from shegong.people.selectors import cadence_for
from shegong.people.services.residents import _ensure_consent

OWN_ROWS = (
    "The visit plan of a resident the caller already read through its scope, locked before it "
    "changes."
)


@transaction.atomic
def cadence_set(
    *, province_code: str, risk_level: str, interval_days: int, event_hours: int, acting_user: User
) -> VisitCadence:
    if interval_days < 1 or interval_days > 366:
        raise ValidationError({"interval_days": _("探访间隔应在 1 至 366 天之间。")})
    if event_hours < 1 or event_hours > 168:
        raise ValidationError({"event_hours": _("重大事件后的探访时限应在 1 至 168 小时之间。")})
    row, _created = VisitCadence.objects.get_or_create(
        province_code=province_code,
        risk_level=risk_level,
        defaults={"interval_days": interval_days, "event_hours": event_hours},
    )
    row.interval_days, row.event_hours = interval_days, event_hours
    row._history_user = acting_user
    row.save()
    return row


@transaction.atomic
def plan_ensure(
    *, resident: Resident, acting_user: User | None, today: date | None = None
) -> VisitPlan:
    today = today or date.today()
    level = resident.risk_level or RiskLevel.GENERAL
    interval, _hours = cadence_for(resident.region_id[:2], level)
    plan = (
        VisitPlan.objects.unscoped(reason=OWN_ROWS)
        .select_for_update()
        .filter(resident=resident)
        .first()
    )
    if plan is None:
        plan = VisitPlan(
            resident=resident,
            region_code=resident.region_id,
            county_code=resident.county_code,
            worker=resident.assigned_worker,
            risk_level=level,
            interval_days=interval,
            next_due_date=today + timedelta(days=interval),
        )
    else:
        base = plan.last_visit_date or today
        plan.risk_level = level
        plan.interval_days = interval
        plan.next_due_date = min(plan.next_due_date, base + timedelta(days=interval))
        plan.is_active = resident.status == ResidentStatus.ACTIVE
    plan._history_user = acting_user
    plan.save()
    return plan


MAJOR_EVENTS = {
    "discharge": _("出院"),
    "bereavement": _("丧亲"),
    "weather": _("极端天气预警"),
    "other": _("其他重大事件"),
}


@transaction.atomic
def plan_record_event(
    *, resident: Resident, event: str, acting_user: User, occurred_on: date | None = None
) -> VisitPlan:
    """A major event: the next visit is due within the province's event window (24 h)."""
    if event not in MAJOR_EVENTS:
        raise ValidationError({"event": _("请选择重大事件类型。")})
    occurred_on = occurred_on or date.today()
    plan = plan_ensure(resident=resident, acting_user=acting_user)
    _interval, hours = cadence_for(resident.region_id[:2], plan.risk_level)
    due = occurred_on + timedelta(days=max(1, -(-hours // 24)))
    plan.next_due_date = min(plan.next_due_date, due)
    plan.event_note = f"{MAJOR_EVENTS[event]}（{occurred_on:%m-%d}）"
    plan._history_user = acting_user
    plan.save(update_fields=["next_due_date", "event_note"])
    return plan


SCORES = {
    "health": {"good": 0, "chronic": 1, "serious": 3},
    "self_care": {"full": 0, "partial": 2, "none": 4},
    "income": {"adequate": 0, "tight": 1, "none": 2},
    "housing": {"safe": 0, "hazard": 1, "dangerous": 3},
    "support": {"strong": 0, "weak": 1, "none": 3},
}


HIGH_SCORE = 8


KEY_SCORE = 4


def assessment_score(answers: dict) -> tuple[int, str]:
    """Score the structured answers; ≥ 8 is high risk, ≥ 4 key, else general."""
    score = 0
    for question, table in SCORES.items():
        value = answers.get(question)
        if value not in table:
            raise ValidationError({question: _("请选择一项。")})
        score += table[value]
    score += 2 if answers.get("lives_alone") else 0
    score += 2 if answers.get("recent_event") else 0
    if score >= HIGH_SCORE:
        return score, RiskLevel.HIGH
    if score >= KEY_SCORE:
        return score, RiskLevel.KEY
    return score, RiskLevel.GENERAL


@transaction.atomic
def assessment_create(
    *, resident: Resident, acting_user: User, answers: dict, assessed_on: date | None = None
) -> Assessment:
    score, level = assessment_score(answers)
    assessed_on = assessed_on or date.today()
    assessment = Assessment(
        resident=resident,
        region_code=resident.region_id,
        assessed_on=assessed_on,
        assessed_by=acting_user,
        lives_alone=bool(answers.get("lives_alone")),
        health=answers["health"],
        self_care=answers["self_care"],
        income=answers["income"],
        housing=answers["housing"],
        support=answers["support"],
        recent_event=bool(answers.get("recent_event")),
        notes=answers.get("notes", "") or "",
        score=score,
        risk_level=level,
    )
    assessment._history_user = acting_user
    assessment.save()
    resident.risk_level = level
    resident._history_user = acting_user
    resident.save(update_fields=["risk_level", "updated_at"])
    plan_ensure(resident=resident, acting_user=acting_user, today=assessed_on)
    if assessment.recent_event:
        plan_record_event(
            resident=resident, event="other", acting_user=acting_user, occurred_on=assessed_on
        )
    return assessment


@transaction.atomic
def visit_record(
    *,
    resident: Resident,
    acting_user: User,
    visited_on: date,
    mode: str,
    visitors: str = "",
    finding_health: str = "",
    finding_living: str = "",
    finding_safety: str = "",
    finding_mood: str = "",
    needs: str = "",
    photo=None,
) -> Visit:
    check_past_event_date(visited_on, field="visited_on")
    not_before(
        visited_on,
        resident.birth_date,
        field="visited_on",
        message=_("探访日期不能早于服务对象的出生日期。"),
    )
    if finding_health or finding_mood:
        _ensure_consent(
            resident, "health", field="finding_health" if finding_health else "finding_mood"
        )
    if photo:
        _ensure_consent(resident, "photos", field="photo")
    plan = (
        VisitPlan.objects.unscoped(reason=OWN_ROWS)
        .select_for_update()
        .filter(resident=resident)
        .first()
    )
    visit = Visit(
        resident=resident,
        region_code=resident.region_id,
        visited_on=visited_on,
        mode=mode,
        visited_by=acting_user,
        visitors=visitors or str(acting_user),
        finding_health=finding_health,
        finding_living=finding_living,
        finding_safety=finding_safety,
        finding_mood=finding_mood,
        needs=needs,
        due_date=plan.next_due_date if plan else None,
    )
    if photo:
        visit.photo = photo
    visit._history_user = acting_user
    visit.full_clean(exclude=["resident", "photo"])
    visit.save()
    if plan is not None and (plan.last_visit_date is None or visited_on >= plan.last_visit_date):
        plan.last_visit_date = visited_on
        plan.next_due_date = visited_on + timedelta(days=plan.interval_days)
        plan.event_note = ""
        plan._history_user = acting_user
        plan.save(update_fields=["last_visit_date", "next_due_date", "event_note"])
    return visit
