"""Sweep outcomes from the field app (外勤), offline if need be: the route download carries the
worker's open sweep tasks, and a queued "sweep_outcome" record is stored by `outcome_record`
(idempotent by the phone's client id). Registered with the field app in EmergencyConfig.ready."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from ninja import Schema

from shegong.core.api_schema import Choice, Id, Text
from shegong.core.permissions import has_perm
from shegong.emergency import selectors
from shegong.emergency.models import OPEN, NeedCategory, Outcome
from shegong.emergency.services.outcomes import outcome_record
from shegong.field.schemas import Position
from shegong.field.services.sync import Stored, SyncRecord, parse_payload

MAX_SWEEP_TASKS = 300
RECORDABLE = (Outcome.SAFE, Outcome.NEEDS_HELP, Outcome.NOT_REACHED)


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
    task = selectors.get_task_for(fetched_by=acting_user, pk=payload.task_id)
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


def route_sweeps(fetched_by: Any) -> list[dict]:
    """The worker's open sweep tasks for the route download: the resident's essentials only
    (masked ID), the event's title and by when everyone should be reached."""
    if not has_perm(fetched_by, "emergency.record"):
        return []
    tasks = (
        selectors.my_tasks(fetched_by=fetched_by)
        .filter(outcome__in=OPEN)
        .select_related("resident__region")[:MAX_SWEEP_TASKS]
    )
    shows_phone = has_perm(fetched_by, "people.visit")
    return [
        {
            "task_id": task.pk,
            "outcome": task.outcome,
            "attempts": task.attempts,
            "reason": task.reason,
            "event": {"id": task.event_id, "title": task.event.title, "due_at": task.event.due_at},
            "resident": {
                "id": task.resident.pk,
                "name": task.resident.name,
                "id_number_masked": task.resident.id_number_masked,
                "sex": task.resident.sex,
                "age": task.resident.age,
                "address": task.resident.address,
                "phone": task.resident.phone if shows_phone else None,
                "region_code": task.resident.region_id,
                "region_name": task.resident.region.name,
            },
        }
        for task in tasks
    ]


def route_sweep_choices() -> dict:
    return {
        "sweep_outcomes": [{"value": str(o.value), "label": str(o.label)} for o in RECORDABLE],
        "sweep_need_categories": [
            {"value": str(v), "label": str(label)} for v, label in NeedCategory.choices if v
        ],
    }
