"""How a merge of two resident records moves the sweep tasks and outcomes (core.registry resident
merge hook). A task of the record removed in an event where the kept record has none becomes the
kept record's. Where both have one (one task per resident and event), the removed record's
outcomes are moved onto the kept record's task, which takes the removed task's outcome if it was
itself still pending, and the removed task is deleted: nothing recorded is lost."""

from __future__ import annotations

from typing import Any

from shegong.emergency.models import Outcome, SweepOutcome, SweepTask

MODELS = ("emergency.SweepTask", "emergency.SweepOutcome")

REASON = (
    "The sweep tasks and outcomes of a resident record being merged, wherever they are held: "
    "the merge moves them all; nothing is shown."
)
OUTCOME_FIELDS = ("outcome", "need_category", "need_text", "reason", "attempts", "rank")


def resident_merged(*, keep: Any, remove: Any, acting_user: Any) -> dict[str, int]:
    tasks = SweepTask.objects.unscoped(reason=REASON)
    kept_by_event = {t.event_id: t for t in tasks.filter(resident=keep)}
    moved_tasks = 0
    for task in tasks.filter(resident=remove):
        other = kept_by_event.get(task.event_id)
        if other is None:
            task.resident = keep
            task.save(update_fields=["resident"])
            moved_tasks += 1
            continue
        SweepOutcome.objects.unscoped(reason=REASON).filter(task=task).update(task=other)
        if other.outcome == Outcome.PENDING and task.outcome != Outcome.PENDING:
            for field in OUTCOME_FIELDS:
                setattr(other, field, getattr(task, field))
            other.save(update_fields=list(OUTCOME_FIELDS))
        task.delete()
        moved_tasks += 1
    outcomes = (
        SweepOutcome.objects.unscoped(reason=REASON).filter(resident=remove).update(resident=keep)
    )
    moved = {"emergency.sweeptask": moved_tasks, "emergency.sweepoutcome": outcomes}
    return {label: n for label, n in moved.items() if n}
