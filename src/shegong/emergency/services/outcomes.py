"""Recording the outcome of reaching a resident (排查结果): safe, needs help (which becomes an
assistance record of the people app), or not reached (with the reason and attempts). Idempotent
by an optional client id, so that an offline client may send a record twice."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shegong.core.permissions import has_perm
from shegong.core.scoping import ensure_in_jurisdiction
from shegong.emergency.models import (
    RANK,
    EmergencyEvent,
    NeedCategory,
    Outcome,
    SweepOutcome,
    SweepTask,
)
from shegong.people.models import AssistanceKind

RECORDED = (
    "The outcome already stored under a client id (an offline client sending again): found "
    "by its unique id; it is given back only when it belongs to the same task."
)
OWN_TASK = "The task the caller fetched through scoping, locked before its outcome changes."


def _clean(outcome: str, need_category: str, need_text: str, reason: str) -> None:
    if outcome not in (Outcome.SAFE, Outcome.NEEDS_HELP, Outcome.NOT_REACHED):
        raise ValidationError({"outcome": _("请选择排查结果。")})
    if outcome == Outcome.NEEDS_HELP:
        if need_category not in NeedCategory.values or not need_category:
            raise ValidationError({"need_category": _("请选择需要的帮助类别。")})
        if not need_text:
            raise ValidationError({"need_text": _("请说明需要什么帮助。")})
    if outcome == Outcome.NOT_REACHED and not reason:
        raise ValidationError({"reason": _("请填写未联系上的原因。")})


def outcome_record(
    *,
    task: SweepTask,
    acting_user: Any,
    outcome: str,
    need_category: str = "",
    need_text: str = "",
    reason: str = "",
    attempts: int | None = None,
    latitude: float | None = None,
    longitude: float | None = None,
    client_id: str | None = None,
    recorded_at: datetime | None = None,
) -> SweepOutcome:
    """Record what the worker found; a record with a `client_id` already stored for this task
    is given back unchanged (nothing stored twice)."""
    if not has_perm(acting_user, "emergency.record"):
        raise PermissionDenied("emergency.record")
    ensure_in_jurisdiction(acting_user, task.region_code)
    client_id = (client_id or "").strip()[:64] or None
    if client_id:
        earlier = _earlier(task=task, client_id=client_id)
        if earlier is not None:
            return earlier
    need_text = (need_text or "").strip()[:500]
    reason = (reason or "").strip()[:300]
    _clean(outcome, need_category or "", need_text, reason)
    if (latitude is None) != (longitude is None) or (
        latitude is not None and not (-90 <= latitude <= 90 and -180 <= longitude <= 180)
    ):
        raise ValidationError({"latitude": _("位置无效。")})
    try:
        with transaction.atomic():
            return _store(
                task=task,
                acting_user=acting_user,
                outcome=outcome,
                need_category=need_category if outcome == Outcome.NEEDS_HELP else "",
                need_text=need_text if outcome == Outcome.NEEDS_HELP else "",
                reason=reason if outcome == Outcome.NOT_REACHED else "",
                attempts=attempts,
                latitude=latitude,
                longitude=longitude,
                client_id=client_id,
                recorded_at=recorded_at or timezone.now(),
            )
    except IntegrityError:
        # The same client id stored meanwhile by a concurrent send.
        earlier = _earlier(task=task, client_id=client_id) if client_id else None
        if earlier is None:
            raise
        return earlier


def _earlier(*, task: SweepTask, client_id: str) -> SweepOutcome | None:
    earlier = SweepOutcome.objects.unscoped(reason=RECORDED).filter(client_id=client_id).first()
    if earlier is not None and earlier.task_id != task.pk:
        raise ValidationError({"client_id": _("该客户端编号已用于另一条记录。")})
    return earlier


def _store(*, task: SweepTask, acting_user: Any, **values: Any) -> SweepOutcome:
    task = (
        SweepTask.objects.unscoped(reason=OWN_TASK)
        .select_for_update()
        .select_related("event", "resident")
        .get(pk=task.pk)
    )
    if task.event.status == EmergencyEvent.Status.CLOSED:
        raise ValidationError({"__all__": _("该应急排查已结束，不能再记录。")})
    outcome = values["outcome"]
    attempts = values.pop("attempts")
    if attempts is None:
        attempts = task.attempts + 1
    if not 0 <= int(attempts) <= 100:
        raise ValidationError({"attempts": _("尝试次数应在 0 至 100 之间。")})
    assistance = task.assistance
    if outcome == Outcome.NEEDS_HELP and assistance is None:
        assistance = _assistance_for(task=task, acting_user=acting_user, **values)
    user = acting_user if getattr(acting_user, "is_authenticated", False) else None
    task.outcome = outcome
    task.rank = RANK[outcome]
    task.need_category = values["need_category"]
    task.need_text = values["need_text"]
    task.reason = values["reason"]
    task.attempts = int(attempts)
    task.recorded_by = user
    task.recorded_at = values["recorded_at"]
    task.assistance = assistance
    task.save(
        update_fields=[
            "outcome",
            "rank",
            "need_category",
            "need_text",
            "reason",
            "attempts",
            "recorded_by",
            "recorded_at",
            "assistance",
        ]
    )
    return SweepOutcome.objects.create(
        task=task,
        resident=task.resident,
        region_code=task.region_code,
        attempts=int(attempts),
        recorded_by=user,
        assistance=assistance if outcome == Outcome.NEEDS_HELP else None,
        **values,
    )


def _assistance_for(
    *, task: SweepTask, acting_user: Any, need_category: str, need_text: str, **rest
):
    """The need becomes an assistance record (帮扶记录) of the resident, through the people
    app's service: supplies are material help, everything else a service."""
    from shegong.people.services import assistance_create

    kind = (
        AssistanceKind.MATERIAL
        if need_category == NeedCategory.SUPPLIES
        else AssistanceKind.SERVICE
    )
    label = NeedCategory(need_category).label
    description = _("应急排查（%(event)s）：%(need)s，%(text)s") % {
        "event": task.event.title,
        "need": label,
        "text": need_text,
    }
    return assistance_create(
        resident=task.resident,
        acting_user=acting_user,
        data={
            "kind": kind,
            "description": description[:200],
            "given_on": timezone.localdate(),
            "fund_source": _("应急排查"),
        },
    )
