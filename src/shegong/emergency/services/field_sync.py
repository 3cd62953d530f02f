"""Sweep outcomes from the field app (外勤), offline if need be: the route download carries the
worker's open sweep tasks (selectors.route_sweeps), and a queued "sweep_outcome" record is stored by `outcome_record`
(idempotent by the phone's client id). Registered with the field app in EmergencyConfig.ready."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Schema

from shegong.core.api_schema import Choice, Id, Text
from shegong.emergency import selectors
from shegong.emergency.models import NeedCategory, Outcome
from shegong.emergency.services.outcomes import outcome_record
from shegong.field.schemas import Position
from shegong.field.services.sync import Stored, SyncRecord, parse_payload


class SweepOutcomePayload(Schema):
    task_id: Id
    outcome: Choice(Outcome)
    need_category: Choice(NeedCategory) = ""
    need_text: Text(500) = ""
    reason: Text(300) = ""
    position: Position | None = None


def record_sweep_outcome(*, acting_user: Any, record: SyncRecord) -> Stored:
    """One outcome recorded on the phone: the task is read through scoping (another county's
    task is not found), then stored by the same service the task page uses."""
    payload = parse_payload(SweepOutcomePayload, record.payload)
    try:
        task = selectors.get_task_for(fetched_by=acting_user, pk=payload.task_id)
    except Http404 as exc:  # the refusal names the field the phone sent: the task, not a resident
        raise ValidationError({"task_id": _("未找到该排查任务，或不在您的辖区范围内。")}) from exc
    position = payload.position
    outcome = outcome_record(
        task=task,
        acting_user=acting_user,
        outcome=payload.outcome,
        need_category=payload.need_category,
        need_text=payload.need_text,
        reason=payload.reason,
        latitude=position.latitude if position else None,
        longitude=position.longitude if position else None,
        client_id=record.client_id,
        recorded_at=record.recorded_at,
    )
    return Stored(
        obj=outcome,
        server_id=f"sweep:{outcome.pk}",
        url=task.get_absolute_url(),
        region_code=task.region_code,
        message=_("排查结果已保存：%(outcome)s。") % {"outcome": outcome.get_outcome_display()},
        resident=task.resident,
        position=position.dict() if position else None,
    )
