"""Reads of emergency sweeps, each through the one scoping layer: events whose area overlaps
the reader's jurisdiction, and only the tasks inside it (a township station sees its own
villages of a county-wide sweep)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Substr
from django.utils import timezone

from shegong.core.permissions import has_perm
from shegong.core.regioncode import PREFIX_LENGTH
from shegong.core.scoping import get_visible_or_404
from shegong.emergency.models import (
    OPEN,
    EmergencyEvent,
    NeedCategory,
    Outcome,
    SweepOutcome,
    SweepTask,
)
from shegong.regions.models import Level, Region
from shegong.regions.selectors import region_names

TOWNSHIP = PREFIX_LENGTH[Level.TOWNSHIP]


def get_event_for(*, fetched_by: Any, pk: Any) -> EmergencyEvent:
    return get_visible_or_404(EmergencyEvent.objects.select_related("declarer"), fetched_by, pk=pk)


def event_list(*, fetched_by: Any, status: str = "") -> QuerySet[EmergencyEvent]:
    events = EmergencyEvent.objects.visible_to(fetched_by).select_related("declarer")
    if status in EmergencyEvent.Status.values:
        events = events.filter(status=status)
    return events


def get_task_for(*, fetched_by: Any, pk: Any) -> SweepTask:
    return get_visible_or_404(
        SweepTask.objects.select_related("event", "resident", "worker", "assistance"),
        fetched_by,
        pk=pk,
    )


def tasks_of(*, fetched_by: Any, event: EmergencyEvent) -> QuerySet[SweepTask]:
    return SweepTask.objects.visible_to(fetched_by).filter(event=event)


def task_list(
    *, fetched_by: Any, event: EmergencyEvent, outcome: str = "", prefix: str = ""
) -> QuerySet[SweepTask]:
    """The event's tasks the reader sees, not yet reached first (by `rank`), then by village."""
    tasks = tasks_of(fetched_by=fetched_by, event=event)
    if outcome == "open":
        tasks = tasks.filter(rank__lte=1)
    elif outcome in Outcome.values:
        tasks = tasks.filter(outcome=outcome)
    if prefix and prefix.isdigit() and len(prefix) <= 12:
        tasks = tasks.in_subtree(prefix)
    return tasks.select_related("resident", "worker").order_by("rank", "region_code", "id")


@dataclass
class Counts:
    code: str
    name: str
    total: int = 0
    pending: int = 0
    safe: int = 0
    needs_help: int = 0
    not_reached: int = 0

    @property
    def reached(self) -> int:
        return self.safe + self.needs_help

    @property
    def open(self) -> int:
        return self.pending + self.not_reached

    @property
    def share(self) -> float | None:
        return self.reached / self.total if self.total else None

    @property
    def done(self) -> bool:
        return self.total > 0 and self.open == 0


_COUNTS = {
    "total": Count("id"),
    "pending": Count("id", filter=Q(outcome=Outcome.PENDING)),
    "safe": Count("id", filter=Q(outcome=Outcome.SAFE)),
    "needs_help": Count("id", filter=Q(outcome=Outcome.NEEDS_HELP)),
    "not_reached": Count("id", filter=Q(outcome=Outcome.NOT_REACHED)),
}


def board_totals(*, fetched_by: Any, event: EmergencyEvent) -> Counts:
    row = tasks_of(fetched_by=fetched_by, event=event).aggregate(**_COUNTS)
    return Counts(code="", name="", **{k: v or 0 for k, v in row.items()})


def board_rows(
    *, fetched_by: Any, event: EmergencyEvent, township: str = ""
) -> tuple[str, list[Counts]]:
    """Counts by township, or by village inside `township` (a 9-digit prefix): one GROUP BY.
    Places with residents not yet reached come first."""
    tasks = tasks_of(fetched_by=fetched_by, event=event)
    if township and township.isdigit() and len(township) == TOWNSHIP:
        level, key = "village", "region_code"
        tasks = tasks.in_subtree(township)
        grouped = tasks.order_by().values(key).annotate(**_COUNTS)
    else:
        level, key = "township", "place"
        grouped = (
            tasks.order_by()
            .annotate(place=Substr("region_code", 1, TOWNSHIP))
            .values("place")
            .annotate(**_COUNTS)
        )
    rows = list(grouped)
    codes = [r[key].ljust(12, "0") for r in rows]
    names = region_names(codes)  # reference data, the same for every reader
    found = [
        Counts(
            code=r[key],
            name=names.get(r[key].ljust(12, "0"), r[key]),
            **{k: r[k] for k in _COUNTS},
        )
        for r in rows
    ]
    found.sort(key=lambda c: (c.done, -c.open, c.code))
    return level, found


def time_left(event: EmergencyEvent, now: datetime | None = None) -> timedelta:
    return event.due_at - (now or timezone.now())


def my_tasks(*, fetched_by: Any, event: EmergencyEvent | None = None) -> QuerySet[SweepTask]:
    """The worker's tasks in events being swept (not yet reached first)."""
    tasks = SweepTask.objects.visible_to(fetched_by).filter(
        worker=fetched_by,
        event__status__in=(EmergencyEvent.Status.DECLARED, EmergencyEvent.Status.SWEEPING),
    )
    if event is not None:
        tasks = tasks.filter(event=event)
    return tasks.select_related("event", "resident").order_by("rank", "region_code", "id")


def my_open_count(*, fetched_by: Any) -> int:
    return my_tasks(fetched_by=fetched_by).filter(outcome__in=OPEN).count()


def outcomes_of_resident(*, fetched_by: Any, resident) -> QuerySet[SweepOutcome]:
    """The resident's sweep history (each outcome recorded), newest first."""
    return (
        SweepOutcome.objects.visible_to(fetched_by)
        .filter(resident=resident)
        .select_related("task__event", "recorded_by")
        .order_by("-recorded_at", "-id")
    )


def export_rows(*, fetched_by: Any, event: EmergencyEvent, outcome: str = ""):
    """The board's task list as rows for a spreadsheet (village names read once)."""
    tasks = task_list(fetched_by=fetched_by, event=event, outcome=outcome)
    codes = set(tasks.values_list("region_code", flat=True).distinct())
    names = region_names(codes)
    for t in tasks.iterator(chunk_size=2000):
        yield [
            t.region_code,
            names.get(t.region_code, ""),
            t.resident.name,
            t.get_outcome_display(),
            t.get_need_category_display() if t.need_category else "",
            t.need_text,
            t.reason,
            t.attempts,
            t.worker.full_name if t.worker else "",
            timezone.localtime(t.recorded_at).strftime("%Y-%m-%d %H:%M") if t.recorded_at else "",
        ]


def areas_resolve(*, fetched_by: Any, texts: list[str]) -> list[Region]:
    """Regions typed by an API client (codes or names), each resolved inside the reader's
    jurisdiction by the one resolver."""
    from shegong.regions.selectors import region_resolve

    return [region_resolve(text, fetched_by=fetched_by, field="areas") for text in texts]


def categories_by_code(*, codes: list[str]):
    """The target groups named by code (the one vocabulary of people); unknown codes refused."""
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    from shegong.people.selectors import categories_by_code as people_categories

    found = people_categories(codes)  # the national taxonomy, not regional data
    unknown = sorted(set(codes) - {c.code for c in found})
    if unknown:
        raise ValidationError({"categories": _("未知的类别：%(c)s") % {"c": "、".join(unknown)}})
    return found


# ---- the field app's route download (外勤) ----------------------------------------------------

MAX_SWEEP_TASKS = 300
RECORDABLE = (Outcome.SAFE, Outcome.NEEDS_HELP, Outcome.NOT_REACHED)


def route_sweeps(*, fetched_by: Any) -> list[dict]:
    """The worker's open sweep tasks for the route download: the resident's essentials only
    (masked ID), the event's title and by when everyone should be reached."""
    if not has_perm(fetched_by, "emergency.record"):
        return []
    tasks = (
        my_tasks(fetched_by=fetched_by)
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
