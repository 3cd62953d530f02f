"""Careers API: title rounds and applications (the lifecycle's actions by action_route),
appraisals, rewards and discipline, and the staffing and retention roll-up. Scoped like the
pages: a row outside the caller's jurisdiction is a 404."""

from ninja import Query, Schema, Status
from ninja.pagination import paginate

from shegong.careers import schemas, selectors, services
from shegong.careers.workflow import APPLICATION
from shegong.core.api_access import Router, scoped
from shegong.core.api_schema import Digits, Id, Pagination, Text, Year
from shegong.core.workflow.api import action_route

router = Router(tags=["careers 职称、考核与配备"])


@router.get("/rounds", response=list[schemas.RoundOut], summary="Title rounds open to the caller")
@scoped("careers.view")
@paginate(Pagination, page_size=50)
def round_list(request):
    return selectors.round_list(fetched_by=request.user)


@router.post("/rounds", response={201: schemas.RoundOut}, summary="Open a title round")
@scoped("careers.title_manage")
def round_create(request, payload: schemas.RoundIn):
    return Status(201, services.round_open(acting_user=request.user, **payload.dict()))


@router.get("/rounds/{int:round_id}", response=schemas.RoundOut)
@scoped("careers.view")
def round_detail(request, round_id: int):
    return selectors.get_round_for(fetched_by=request.user, pk=round_id)


@router.post(
    "/rounds/{int:round_id}/applications",
    response={201: schemas.TitleApplicationOut},
    summary="Apply in a round (the candidate's materials)",
)
@scoped("careers.title_apply")
def application_create(request, round_id: int, payload: schemas.ApplicationIn):
    found = selectors.get_round_for(fetched_by=request.user, pk=round_id)
    data = payload.dict()
    worker = selectors.get_worker_for(fetched_by=request.user, pk=data.pop("worker_id"))
    return Status(
        201,
        services.application_create(acting_user=request.user, round=found, worker=worker, **data),
    )


class ApplicationFilters(Schema):
    round_id: Id | None = None
    status: Text(12) = ""


@router.get("/applications", response=list[schemas.TitleApplicationOut])
@scoped("careers.view")
@paginate(Pagination, page_size=50)
def application_list(request, filters: Query[ApplicationFilters]):
    return selectors.application_list(
        fetched_by=request.user, round_id=filters.round_id, status=filters.status
    )


@router.get("/applications/{int:application_id}", response=schemas.TitleApplicationOut)
@scoped("careers.view")
def application_detail(request, application_id: int):
    return selectors.get_application_for(fetched_by=request.user, pk=application_id)


action_route(router, APPLICATION, path="/applications", response=schemas.TitleApplicationOut)


class AppraisalFilters(Schema):
    scheme_id: Id | None = None
    period: Text(20) = ""
    worker_id: Id | None = None


@router.get("/appraisals", response=list[schemas.AppraisalOut])
@scoped("careers.view")
@paginate(Pagination, page_size=50)
def appraisal_list(request, filters: Query[AppraisalFilters]):
    return selectors.appraisal_list(
        fetched_by=request.user,
        scheme_id=filters.scheme_id,
        period=filters.period,
        worker_id=filters.worker_id,
    )


@router.get("/appraisals/{int:appraisal_id}", response=schemas.AppraisalOut)
@scoped("careers.view")
def appraisal_detail(request, appraisal_id: int):
    return selectors.get_appraisal_for(fetched_by=request.user, pk=appraisal_id)


@router.post(
    "/schemes/{int:scheme_id}/run",
    response=dict[str, int],
    summary="Compute the appraisals of a period from the platform's records",
)
@scoped("careers.appraise")
def scheme_run(request, scheme_id: int, payload: schemas.RunIn):
    scheme = selectors.get_scheme_for(fetched_by=request.user, pk=scheme_id)
    n = services.appraisal_run(acting_user=request.user, scheme=scheme, **payload.dict())
    return {"appraised": n}


@router.post("/appraisals/{int:appraisal_id}/review", response=schemas.AppraisalOut)
@scoped("careers.appraise")
def appraisal_review(request, appraisal_id: int, payload: schemas.ReviewIn):
    appraisal = selectors.get_appraisal_for(fetched_by=request.user, pk=appraisal_id)
    return services.appraisal_review(
        acting_user=request.user, appraisal=appraisal, **payload.dict()
    )


@router.post(
    "/appraisals/{int:appraisal_id}/grade",
    response=schemas.AppraisalOut,
    summary="Give the grade (excellent within the scheme's cap)",
)
@scoped("careers.grade")
def appraisal_grade(request, appraisal_id: int, payload: schemas.GradeIn):
    appraisal = selectors.get_appraisal_for(fetched_by=request.user, pk=appraisal_id)
    return services.appraisal_grade(
        acting_user=request.user, appraisal=appraisal, grade=payload.grade
    )


class ConductFilters(Schema):
    worker_id: Id | None = None
    kind: Text(12) = ""


@router.get("/conduct", response=list[schemas.ConductOut], summary="Rewards and discipline")
@scoped("careers.view")
@paginate(Pagination, page_size=50)
def conduct_list(request, filters: Query[ConductFilters]):
    return selectors.conduct_list(
        fetched_by=request.user, worker_id=filters.worker_id, kind=filters.kind
    )


@router.post("/conduct", response={201: schemas.ConductOut})
@scoped("careers.conduct")
def conduct_create(request, payload: schemas.ConductIn):
    data = payload.dict()
    worker = selectors.get_worker_for(fetched_by=request.user, pk=data.pop("worker_id"))
    return Status(201, services.conduct_record(acting_user=request.user, worker=worker, **data))


class StaffingFilters(Schema):
    region: Digits = ""
    year: Year | None = None


@router.get(
    "/staffing",
    response=schemas.StaffingOut,
    summary="Staffing, pay and retention per child region (per organisation below a township)",
)
@scoped("careers.staffing")
def staffing(request, filters: Query[StaffingFilters]):
    from django.utils import timezone

    return selectors.staffing_rollup(
        fetched_by=request.user,
        region_code=filters.region,
        year=filters.year or timezone.localdate().year,
    )
