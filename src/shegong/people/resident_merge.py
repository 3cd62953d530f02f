"""How a merge of two resident records moves people's own rows (core.registry resident merge
hook): categories, household members, assessments, the visit plan, visits and assistance move
to the record kept, each saved with history and the region of the record kept."""

from __future__ import annotations

from typing import Any

from django.db import models

from shegong.people.models import (
    Assessment,
    Assistance,
    HouseholdMember,
    Resident,
    ResidentCategory,
    Visit,
    VisitPlan,
)

MODELS = (
    "people.ResidentCategory",
    "people.HouseholdMember",
    "people.Assessment",
    "people.VisitPlan",
    "people.Visit",
    "people.Assistance",
)

OWN_ROWS = (
    "Rows of the two resident records being merged, which the caller has already read through "
    "its scope."
)


def _rows(model: type[models.Model], resident: Resident):
    manager = model._default_manager
    queryset = manager.unscoped(reason=OWN_ROWS) if hasattr(manager, "unscoped") else manager.all()
    return queryset.filter(resident=resident)


def _move(row: Any, keep: Resident, acting_user: Any, reason: str) -> None:
    row.resident = keep
    fields = ["resident"]
    if hasattr(row, "region_code"):
        row.region_code = keep.region_id
        fields.append("region_code")
    if hasattr(row, "resident_status"):
        row.resident_status = keep.status
        row.resident_birth_date = keep.birth_date
        fields += ["resident_status", "resident_birth_date"]
    if hasattr(row, "county_code"):
        row.county_code = keep.county_code
        fields.append("county_code")
    row._history_user = acting_user
    row._change_reason = reason
    row.save(update_fields=fields)


def _merge_plans(*, keep: Resident, remove: Resident, acting_user: Any, reason: str) -> int:
    keep_plan = _rows(VisitPlan, keep).first()
    remove_plan = _rows(VisitPlan, remove).first()
    if remove_plan is None:
        return 0
    if keep_plan is None:
        _move(remove_plan, keep, acting_user, reason)
        return 1
    keep_plan.next_due_date = min(keep_plan.next_due_date, remove_plan.next_due_date)
    dates = [d for d in (keep_plan.last_visit_date, remove_plan.last_visit_date) if d]
    keep_plan.last_visit_date = max(dates) if dates else None
    keep_plan._history_user = acting_user
    keep_plan._change_reason = reason
    keep_plan.save(update_fields=["next_due_date", "last_visit_date"])
    remove_plan._history_user = acting_user
    remove_plan._change_reason = reason
    remove_plan.delete()
    return 1


def resident_merged(*, keep: Resident, remove: Resident, acting_user: Any) -> dict[str, int]:
    reason = f"合并记录 #{remove.pk} → #{keep.pk}"
    moved: dict[str, int] = {}
    have = set(_rows(ResidentCategory, keep).values_list("category_id", flat=True))
    for link in _rows(ResidentCategory, remove).filter(category_id__in=have):
        link._history_user = acting_user
        link._change_reason = reason
        link.delete()  # the record kept has the category already
    n = _merge_plans(keep=keep, remove=remove, acting_user=acting_user, reason=reason)
    if n:
        moved["people.visitplan"] = n
    for model in (ResidentCategory, HouseholdMember, Assessment, Visit, Assistance):
        rows = list(_rows(model, remove))
        for row in rows:
            _move(row, keep, acting_user, reason)
        if rows:
            moved[model._meta.label_lower] = len(rows)
    return moved
