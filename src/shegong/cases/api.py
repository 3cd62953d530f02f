from datetime import date
from typing import Literal

from django.http import Http404
from ninja import Schema
from ninja.pagination import paginate

from shegong.cases import selectors, services
from shegong.cases.models import Case, CaseTransition, ServiceRecord
from shegong.cases.workflow import CASE, REFERRAL, REVIEW, Source, Status
from shegong.core.api_access import Router, scoped
from shegong.core.api_schema import Choice, Count, Id, ModelText, Pagination, PastDate, Search
from shegong.core.workflow.api import action_route
from shegong.people import selectors as people_selectors

router = Router(tags=["cases 个案"])


class CaseOut(Schema):
    id: int
    number: str
    title: str
    resident_id: int
    organisation_id: int
    organisation_name: str
    status: str
    source: str
    opened_on: date
    closed_on: date | None
    closure_reason: str

    @staticmethod
    def resolve_organisation_name(obj):
        return obj.organisation.name


class CaseIn(Schema):
    resident_id: Id
    title: ModelText(Case, "title", min_length=1)
    source: Choice(Source)
    problem: ModelText(Case, "problem") = ""


class TransitionIn(Schema):
    to_status: Choice(Status)
    note: ModelText(CaseTransition, "note") = ""


class RecordIn(Schema):
    served_on: PastDate
    kind: Choice(ServiceRecord.Kind)
    content: ModelText(ServiceRecord, "content", min_length=1)
    duration_minutes: Count(1, 24 * 60) = 60
    goods: ModelText(ServiceRecord, "goods") = ""


@router.get("/", response=list[CaseOut], summary="Cases I may see (scope: open, mine, closed, all)")
@scoped("cases.view")
@paginate(Pagination, page_size=25)
def case_list(
    request,
    scope: Literal["open", "mine", "closed", "all"] = "open",
    status: Choice(Status, blank=True) = "",
    q: Search = "",
):
    return selectors.case_list(fetched_by=request.user, scope=scope, status=status, q=q).order_by(
        "-opened_on", "-id"
    )


@router.get("/{int:case_id}", response=CaseOut)
@scoped("cases.view")
def case_detail(request, case_id: int):
    return selectors.get_case_for(fetched_by=request.user, pk=case_id)


@router.post("/", response={201: CaseOut})
@scoped("cases.edit")
def case_create(request, payload: CaseIn):
    resident = people_selectors.get_resident_for(fetched_by=request.user, pk=payload.resident_id)
    case = services.case_open(
        acting_user=request.user,
        resident=resident,
        title=payload.title,
        source=payload.source,
        problem=payload.problem,
    )
    return 201, case


def _acting(request, case_id: int):
    case = selectors.get_case_for(fetched_by=request.user, pk=case_id)
    if not selectors.may_act_on(fetched_by=request.user, case=case):
        raise Http404("Not found")
    return case


action_route(router, CASE, path="", response=CaseOut)


class ReviewOut(Schema):
    id: int
    case_id: int
    kind: str
    decision: str
    comment: str


class ReferralOut(Schema):
    id: int
    case_id: int
    from_organisation_id: int
    to_organisation_id: int
    status: str
    reason: str
    response_reason: str


# a supervisor's decision on a review; the receiving organisation's answer to a referral
action_route(router, REVIEW, path="/reviews", response=ReviewOut)
action_route(router, REFERRAL, path="/referrals", response=ReferralOut)


@router.post(
    "/{int:case_id}/transitions",
    response=CaseOut,
    summary="Move a case to a state (the same as POST /{pk}/actions/{action})",
)
@scoped("cases.edit")
def case_transition(request, case_id: int, payload: TransitionIn):
    case = _acting(request, case_id)
    return services.case_move(
        case=case, to_status=payload.to_status, acting_user=request.user, note=payload.note
    )


@router.post("/{int:case_id}/records", response={201: dict})
@scoped("cases.edit")
def record_create(request, case_id: int, payload: RecordIn):
    case = _acting(request, case_id)
    record = services.record_add(case=case, acting_user=request.user, **payload.dict())
    return 201, {"id": record.pk}
