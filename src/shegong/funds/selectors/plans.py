"""Reads of allocation plans: plans, their recipients and receipts, the units a plan pays."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, QuerySet

from shegong.core.regioncode import code_range
from shegong.core.scoping import get_visible_or_404
from shegong.funds import workflow
from shegong.funds.models import (
    AllocationPlan,
    PlanRecipient,
    PopulationFigure,
)
from shegong.orgs.models import Kind, Organisation
from shegong.regions.models import Region


def plan_list(*, fetched_by: Any, status: str = "") -> QuerySet:
    plans = AllocationPlan.objects.visible_to(fetched_by).select_related("organisation")
    if status:
        plans = plans.filter(status=status)
    return plans.annotate(n=Count("recipients"))


def get_plan_for(*, fetched_by: Any, pk: int) -> AllocationPlan:
    return get_visible_or_404(
        AllocationPlan.objects.select_related("organisation", "source_account"), fetched_by, pk=pk
    )


def receipts_for(*, fetched_by: Any, pending_only: bool = False) -> QuerySet:
    """Plan rows paying units inside the user's jurisdiction (what they should confirm)."""
    rows = (
        PlanRecipient.objects.visible_to(fetched_by)
        .filter(plan__status__in=[workflow.DISBURSED, workflow.CONFIRMED], amount__gt=0)
        .select_related("plan", "plan__organisation", "organisation")
    )
    if pending_only:
        rows = rows.filter(confirmed_at__isnull=True)
    return rows.order_by("confirmed_at", "-plan__period", "region_code")


def get_recipient_for(*, fetched_by: Any, pk: int) -> PlanRecipient:
    return get_visible_or_404(PlanRecipient.objects.select_related("plan"), fetched_by, pk=pk)


def population_figures(*, fetched_by: Any) -> QuerySet:
    return PopulationFigure.objects.visible_to(fetched_by).order_by("-year", "region_code")


def plan_changes(plan: AllocationPlan) -> QuerySet:
    return plan.status_changes.select_related("by")


RECIPIENTS = (
    "Public bodies that receive money: the departments and stations of a plan's child regions "
    "(inside the planner's jurisdiction), or a paired region's department (paired assistance "
    "crosses jurisdictions by design); found by region code."
)


def _child_level(region: Region) -> int:
    return 4 if region.level == 3 else region.level + 1


def child_regions(region: Region) -> list[Region]:
    """The units one level below a department's region (directly administered municipalities'
    "市辖区" placeholders are skipped in favour of their districts)."""
    level = _child_level(region)
    low, high = region.subtree_range()
    qs = Region.objects.filter(level=level, code__gte=low, code__lte=high).exclude(code=region.code)
    return [r for r in qs.order_by("code") if r.name not in ("市辖区", "县")]


def department_of(region_code: str) -> Organisation | None:
    return (
        Organisation.objects.unscoped(reason=RECIPIENTS)
        .filter(region_id=region_code, kind=Kind.SOCIAL_WORK_DEPARTMENT, is_active=True)
        .order_by("id")
        .first()
    )


def recipient_organisation(region: Region) -> Organisation | None:
    """A county's plan pays its townships' stations; higher levels pay the departments."""
    if region.level == 4:
        low, high = code_range(region.prefix)
        return (
            Organisation.objects.unscoped(reason=RECIPIENTS)
            .filter(
                region_id__gte=low,
                region_id__lte=high,
                kind=Kind.SOCIAL_WORK_STATION,
                is_active=True,
            )
            .order_by("region_id", "id")
            .first()
        )
    return department_of(region.code)
