from datetime import date
from typing import Literal

from django.http import Http404
from ninja import Field, Query, Schema
from ninja.pagination import paginate

from shegong.core.api_access import Router, scoped
from shegong.core.api_schema import (
    BirthDate,
    Choice,
    Count,
    Digits,
    ModelAmount,
    ModelText,
    Pagination,
    PastDate,
    Search,
    Text,
)
from shegong.core.crypto import reveal
from shegong.core.workflow.api import action_route
from shegong.people import selectors, services
from shegong.people.models import (
    Assistance,
    AssistanceKind,
    Category,
    Resident,
    RiskLevel,
    Sex,
    Visit,
    VisitMode,
)
from shegong.people.workflow import ADAPTATION
from shegong.regions.models import Level
from shegong.regions.selectors import region_resolve

CategoryCode = ModelText(Category, "code")

router = Router(tags=["people 服务对象与探访"])


class ResidentOut(Schema):
    id: int
    name: str
    id_number_masked: str
    sex: str
    birth_date: date
    phone: str
    address: str
    region_code: str
    risk_level: str
    status: str
    categories: list[str]
    health_notes: str | None = None

    @staticmethod
    def resolve_region_code(obj):
        return obj.region_id

    @staticmethod
    def resolve_categories(obj):
        return [link.category.code for link in obj.category_links.all()]

    @staticmethod
    def resolve_health_notes(obj, context):
        request = context["request"]
        return obj.health_notes if selectors.may_see_sensitive(fetched_by=request.user) else None


class ResidentIn(Schema):
    name: ModelText(Resident, "name", min_length=1)
    id_number: Text(18, min_length=1)
    # regions.schemas.RegionText does not refuse control characters yet (tests/api/test_openapi)
    region: Text(100, min_length=1) = Field(description="村（社区）的 12 位区划代码或名称")
    phone: ModelText(Resident, "phone") = ""
    address: ModelText(Resident, "address") = ""
    sex: Choice(Sex, blank=True) = ""
    birth_date: BirthDate | None = None
    categories: list[CategoryCode] = Field([], max_length=20)
    confirm_duplicates: bool = False


class ResidentBulkItem(Schema):
    """One resident of a bulk request: text as an import row, checked item by item (a bad
    value is that item's error, not the request's)."""

    name: Text(200) = ""
    id_number: Text(40) = ""
    region: Text(100) = Field("", description="村（社区）的 12 位区划代码或名称")
    phone: Text(100) = ""
    address: Text(400) = ""
    sex: Text(2) = Field("", description="M/F 或 男/女；可省略（取自身份证号码）")
    birth_date: Text(20) = Field("", description="YYYY-MM-DD；可省略（取自身份证号码）")
    categories: list[Text(50)] = Field([], max_length=20)


class ResidentBulkIn(Schema):
    mode: Literal["all_or_nothing", "valid_only"] = Field(
        description="all_or_nothing：任何一项有误则一项也不登记；valid_only：登记每个有效项"
    )
    items: list[ResidentBulkItem] = Field(max_length=services.BULK_LIMIT)


class BulkItemError(Schema):
    index: int = Field(description="出错项在 items 中的序号（从 0 起）")
    field: str
    reason: str


class ResidentBulkOut(Schema):
    items: int
    created: int
    rejected: int
    taken_nothing: bool = Field(description="all_or_nothing 且有错误：一项也未登记")
    errors: list[BulkItemError]


class ResidentFilters(Schema):
    q: Search = ""
    category: CategoryCode = ""
    risk: Choice(RiskLevel, blank=True) = ""
    region: Digits = ""
    sex: Choice(Sex, blank=True) = ""


class VisitPlanOut(Schema):
    id: int
    resident_id: int
    resident_name: str
    region_code: str
    risk_level: str
    interval_days: int
    next_due_date: date
    last_visit_date: date | None
    overdue: bool

    @staticmethod
    def resolve_resident_name(obj):
        return obj.resident.name

    @staticmethod
    def resolve_overdue(obj):
        return obj.is_overdue


class VisitIn(Schema):
    visited_on: PastDate
    mode: Choice(VisitMode)
    visitors: ModelText(Visit, "visitors") = ""
    finding_health: ModelText(Visit, "finding_health") = ""
    finding_living: ModelText(Visit, "finding_living") = ""
    finding_safety: ModelText(Visit, "finding_safety") = ""
    finding_mood: ModelText(Visit, "finding_mood") = ""
    needs: ModelText(Visit, "needs") = ""


class VisitOut(Schema):
    id: int
    resident_id: int
    visited_on: date
    mode: str
    visitors: str
    needs: str
    next_due_date: date | None = None


class AssistanceIn(Schema):
    kind: Choice(AssistanceKind)
    description: ModelText(Assistance, "description", min_length=1)
    amount: ModelAmount(Assistance, "amount") = 0
    quantity: ModelAmount(Assistance, "quantity") = 0
    unit: ModelText(Assistance, "unit") = ""
    fund_source: ModelText(Assistance, "fund_source") = ""
    given_on: PastDate


class AssistanceOut(Schema):
    id: int
    resident_id: int
    kind: str
    description: str
    amount: float
    quantity: float
    fund_source: str
    given_on: date
    project_status: str


class RevealOut(Schema):
    id_number: str


def _resident(request, resident_id: int):
    return selectors.get_resident_for(fetched_by=request.user, pk=resident_id)


@router.get("/residents", response=list[ResidentOut], summary="List residents in the jurisdiction")
@scoped("people.view")
@paginate(Pagination, page_size=25)
def resident_list(request, filters: Query[ResidentFilters]):
    return (
        selectors.resident_list(
            fetched_by=request.user,
            q=filters.q,
            category=filters.category,
            risk=filters.risk,
            region_prefix=filters.region,
            sex=filters.sex,
        )
        .prefetch_related("category_links__category")
        .order_by("region_id", "name", "id")
    )


@router.get("/residents/lookup", response=ResidentOut, summary="Find a resident by full ID number")
@scoped("people.view")
def resident_lookup(request, id_number: Text(18, min_length=1)):
    resident = selectors.resident_by_id_number(fetched_by=request.user, number=id_number)
    if resident is None:
        raise Http404("Not found")
    return resident


@router.get("/residents/{int:resident_id}", response=ResidentOut)
@scoped("people.view")
def resident_detail(request, resident_id: int):
    return _resident(request, resident_id)


@router.post("/residents", response={201: ResidentOut})
@scoped("people.edit")
def resident_create(request, payload: ResidentIn):
    region = region_resolve(payload.region, fetched_by=request.user, levels=(Level.VILLAGE,))
    resident = services.resident_create(
        acting_user=request.user,
        name=payload.name,
        id_number=payload.id_number,
        region=region,
        phone=payload.phone,
        address=payload.address,
        sex=payload.sex,
        birth_date=payload.birth_date,
        categories=selectors.categories_by_code(payload.categories),
        confirm_duplicates=payload.confirm_duplicates,
    )
    return 201, resident


@router.post(
    "/residents/bulk",
    response=ResidentBulkOut,
    summary="Register up to 1,000 residents in one transaction (errors by item)",
)
@scoped("people.edit")
def resident_bulk_create(request, payload: ResidentBulkIn):
    result = services.residents_bulk_create(
        acting_user=request.user,
        items=[item.dict() for item in payload.items],
        mode=payload.mode,
        request=request,
    )
    return {
        "items": result.total_rows,
        "created": result.created,
        "rejected": result.rejected_count,
        "taken_nothing": result.taken_nothing,
        "errors": [{"index": e.line, "field": e.field, "reason": e.reason} for e in result.errors],
    }


@router.post("/residents/{int:resident_id}/reveal", response=RevealOut)
@scoped("people.reveal_id")
def resident_reveal(request, resident_id: int):
    resident = _resident(request, resident_id)
    return {"id_number": reveal(user=request.user, obj=resident, request=request)}


@router.get(
    "/visit-plans/mine", response=list[VisitPlanOut], summary="Due and overdue visits for me"
)
@scoped("people.visit")
def my_plans(request, horizon_days: Count(0, 92) = 7):
    return list(selectors.my_visit_plans(fetched_by=request.user, horizon_days=horizon_days)[:500])


@router.get(
    "/visit-plans", response=list[VisitPlanOut], summary="Visit plans (overdue=true filters)"
)
@scoped("people.view")
@paginate(Pagination, page_size=25)
def plan_list(request, overdue: bool = False, region: Digits = ""):
    if overdue:
        return selectors.overdue_plans(fetched_by=request.user, region_prefix=region)
    return selectors.visit_plans(fetched_by=request.user, region=region)


@router.get("/residents/{int:resident_id}/visits", response=list[VisitOut])
@scoped("people.view")
def visit_list(request, resident_id: int):
    return list(selectors.visits_for(_resident(request, resident_id))[:200])


@router.post("/residents/{int:resident_id}/visits", response={201: VisitOut})
@scoped("people.visit")
def visit_create(request, resident_id: int, payload: VisitIn):
    resident = _resident(request, resident_id)
    visit = services.visit_record(resident=resident, acting_user=request.user, **payload.dict())
    plan = selectors.visit_plan_of(resident=resident)
    visit.next_due_date = plan.next_due_date if plan else None
    return 201, visit


@router.get("/residents/{int:resident_id}/assistance", response=list[AssistanceOut])
@scoped("people.view")
def assistance_list(request, resident_id: int):
    return list(_resident(request, resident_id).assistance.all()[:200])


@router.post("/residents/{int:resident_id}/assistance", response={201: AssistanceOut})
@scoped("people.assist")
def assistance_create(request, resident_id: int, payload: AssistanceIn):
    resident = _resident(request, resident_id)
    item = services.assistance_create(
        resident=resident, acting_user=request.user, data=payload.dict()
    )
    return 201, item


# each step of a home adaptation project (people.workflow.ADAPTATION)
action_route(router, ADAPTATION, path="/assistance", response=AssistanceOut)


@router.get("/assistance", response=list[AssistanceOut], summary="Assistance in the jurisdiction")
@scoped("people.view")
@paginate(Pagination, page_size=25)
def assistance_all(request, kind: Choice(AssistanceKind, blank=True) = ""):
    return selectors.assistance_visible(fetched_by=request.user, kind=kind)


__all__ = ["router", "Visit"]


# ---- the category taxonomy (服务对象类别): read by all, edited by the provincial level ---------


class CategoryOut(Schema):
    id: int
    code: str
    name: str
    cared_for: bool
    has_level: bool
    order: int


class CategoryIn(Schema):
    code: ModelText(Category, "code", min_length=1)  # a slug: checked by the model
    name: ModelText(Category, "name", min_length=1)
    cared_for: bool = True
    has_level: bool = False
    order: Count(0, 32767) = 100


class CategoryPatch(Schema):
    """The fields that may change; the code stays once given."""

    name: ModelText(Category, "name", min_length=1) | None = None
    cared_for: bool | None = None
    has_level: bool | None = None
    order: Count(0, 32767) | None = None


@router.get("/categories", response=list[CategoryOut], summary="The category taxonomy")
@scoped("people.view")
def category_list(request):
    return list(selectors.category_list())


@router.post(
    "/categories",
    response={201: CategoryOut},
    summary="Add a category (a provincial or national department)",
)
@scoped("people.categories")
def category_create(request, payload: CategoryIn):
    return 201, services.category_create(acting_user=request.user, data=payload.dict())


@router.patch(
    "/categories/{int:category_id}",
    response=CategoryOut,
    summary="Change a category's name, visit flag, level flag or order (not its code)",
)
@scoped("people.categories")
def category_update(request, category_id: int, payload: CategoryPatch):
    category = selectors.get_category_for(pk=category_id)
    return services.category_update(
        category=category, acting_user=request.user, data=payload.dict(exclude_none=True)
    )
