"""Directives API: directives, their copies (targets) with their actions, progress reports, the
roll-up, reminders; inspections and their rectification items. Scoped like every list: a unit
outside a directive's copies gets 404."""

from typing import Literal

from ninja import Status
from ninja.pagination import paginate

from shegong.core.api_access import Router, scoped
from shegong.core.api_schema import Digits, Pagination
from shegong.core.workflow.api import action_route
from shegong.directives import selectors, services
from shegong.directives.schemas import (
    DirectiveIn,
    DirectiveOut,
    DirectiveRollupOut,
    InspectionIn,
    InspectionOut,
    ItemsIn,
    RemindOut,
    ReportOut,
    TargetOut,
)
from shegong.directives.workflow import TARGET
from shegong.orgs.selectors import get_organisation_for
from shegong.regions.selectors import region_resolve

router = Router(tags=["directives 督查督办"])


@router.get("/directives", response=list[DirectiveOut], summary="Directives the caller sees")
@scoped("directives.view")
@paginate(Pagination, page_size=50)
def directive_list(request, box: Literal["all", "issued", "received"] = "all"):
    return selectors.directive_list(fetched_by=request.user, box=box)


@router.post("/directives", response={201: DirectiveOut}, summary="Issue a directive")
@scoped("directives.issue")
def directive_issue(request, payload: DirectiveIn):
    data = payload.dict()
    data["regions"] = [
        region_resolve(text, fetched_by=request.user, field="regions").code
        for text in data["regions"]
    ]
    return Status(201, services.directive_issue(acting_user=request.user, **data))


@router.get("/directives/{int:directive_id}", response=DirectiveOut)
@scoped("directives.view")
def directive_detail(request, directive_id: int):
    return selectors.get_directive_for(fetched_by=request.user, pk=directive_id)


@router.get("/directives/{int:directive_id}/rollup", response=DirectiveRollupOut)
@scoped("directives.view")
def directive_rollup(request, directive_id: int, region: Digits = ""):
    directive = selectors.get_directive_for(fetched_by=request.user, pk=directive_id)
    return selectors.rollup(fetched_by=request.user, directive=directive, prefix=region or None)


@router.get("/directives/{int:directive_id}/targets", response=list[TargetOut])
@scoped("directives.view")
@paginate(Pagination, page_size=100)
def directive_targets(request, directive_id: int, overdue: bool = False):
    directive = selectors.get_directive_for(fetched_by=request.user, pk=directive_id)
    return selectors.directive_targets(
        fetched_by=request.user, directive=directive, overdue=overdue
    )


@router.post("/directives/{int:directive_id}/remind", response=RemindOut)
@scoped("directives.review")
def directive_remind(request, directive_id: int, region: Digits = ""):
    directive = selectors.get_directive_for(fetched_by=request.user, pk=directive_id)
    n = services.remind_laggards(
        directive=directive, acting_user=request.user, prefix=region or None
    )
    return {"reminded": n}


@router.post("/directives/{int:directive_id}/close", response=DirectiveOut)
@scoped("directives.issue")
def directive_close(request, directive_id: int):
    directive = selectors.get_directive_for(fetched_by=request.user, pk=directive_id)
    return services.directive_close(directive=directive, acting_user=request.user)


@router.get("/targets", response=list[TargetOut], summary="The caller's unit's open copies")
@scoped("directives.view")
@paginate(Pagination, page_size=100)
def task_list(request):
    return selectors.task_list(fetched_by=request.user)


@router.get("/targets/{int:target_id}", response=TargetOut)
@scoped("directives.view")
def target_detail(request, target_id: int):
    return selectors.get_target_for(fetched_by=request.user, pk=target_id)


@router.get("/targets/{int:target_id}/reports", response=list[ReportOut])
@scoped("directives.view")
def target_reports(request, target_id: int):
    target = selectors.get_target_for(fetched_by=request.user, pk=target_id)
    return selectors.target_reports(fetched_by=request.user, target=target)


action_route(router, TARGET, path="/targets", response=TargetOut)


@router.get("/inspections", response=list[InspectionOut])
@scoped("directives.view")
@paginate(Pagination, page_size=50)
def inspection_list(request):
    return selectors.inspection_list(fetched_by=request.user)


@router.post("/inspections", response={201: InspectionOut})
@scoped("directives.inspect")
def inspection_record(request, payload: InspectionIn):
    region = region_resolve(payload.region, fetched_by=request.user, field="region")
    organisation = (
        get_organisation_for(fetched_by=request.user, pk=payload.organisation_id)
        if payload.organisation_id
        else None
    )
    return Status(
        201,
        services.inspection_record(
            acting_user=request.user,
            kind=payload.kind,
            region_code=region.code,
            organisation=organisation,
            inspectors=payload.inspectors,
            visited_on=payload.visited_on,
            findings=payload.findings,
        ),
    )


@router.get("/inspections/{int:inspection_id}", response=InspectionOut)
@scoped("directives.view")
def inspection_detail(request, inspection_id: int):
    return selectors.get_inspection_for(fetched_by=request.user, pk=inspection_id)


@router.get("/inspections/{int:inspection_id}/items", response=list[TargetOut])
@scoped("directives.view")
def inspection_items(request, inspection_id: int):
    inspection = selectors.get_inspection_for(fetched_by=request.user, pk=inspection_id)
    return selectors.rectification_items(fetched_by=request.user, inspection=inspection)


@router.post("/inspections/{int:inspection_id}/items", response={201: list[TargetOut]})
@scoped("directives.inspect")
def rectification_assign(request, inspection_id: int, payload: ItemsIn):
    inspection = selectors.get_inspection_for(fetched_by=request.user, pk=inspection_id)
    items = [
        services.Item(
            text=i.text,
            unit=get_organisation_for(fetched_by=request.user, pk=i.unit_id),
            due_date=i.due_date,
        )
        for i in payload.items
    ]
    services.rectification_assign(inspection=inspection, acting_user=request.user, items=items)
    return Status(
        201, selectors.rectification_items(fetched_by=request.user, inspection=inspection)
    )
