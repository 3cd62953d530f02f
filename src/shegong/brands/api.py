"""Brand register API: brands (list, read, register), linked activities, yearly targets,
figures and evaluations, recognitions and their actions. Scoped like the pages: a brand
outside the caller's jurisdiction is a 404."""

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Schema, Status
from ninja.pagination import paginate

from shegong.brands import schemas, selectors, services
from shegong.brands.workflow import RECOGNITION
from shegong.core.api_access import Router, scoped
from shegong.core.api_schema import Pagination, Text, Year
from shegong.core.workflow.api import action_route

router = Router(tags=["brands 品牌项目"])


class BrandFilters(Schema):
    q: Text(100) = ""
    kind: Text(16) = ""
    level: Text(16) = ""


@router.get(
    "/brands", response=list[schemas.BrandOut], summary="Brands in the caller's jurisdiction"
)
@scoped("brands.view")
@paginate(Pagination, page_size=50)
def brand_list(request, filters: Query[BrandFilters]):
    return (
        selectors.brand_list(fetched_by=request.user, **filters.dict())
        .prefetch_related("target_groups")
        .order_by("region_code", "name", "id")
    )


@router.get("/brands/{int:brand_id}", response=schemas.BrandOut)
@scoped("brands.view")
def brand_detail(request, brand_id: int):
    return selectors.get_brand_for(fetched_by=request.user, pk=brand_id)


@router.post("/brands", response={201: schemas.BrandOut}, summary="Register a brand")
@scoped("brands.manage")
def brand_create(request, payload: schemas.BrandIn):
    data = payload.dict()
    owner = selectors.owner_choices(fetched_by=request.user).filter(pk=data.pop("owner_id")).first()
    if owner is None:
        raise ValidationError({"owner_id": _("主办单位不存在或不在您的辖区内。")})
    groups = selectors.target_groups_by_codes(data.pop("target_group_codes"))
    brand = services.brand_register(
        acting_user=request.user, owner=owner, target_groups=groups, **data
    )
    return Status(201, brand)


@router.get("/brands/{int:brand_id}/activities", response=list[schemas.BrandLinkOut])
@scoped("brands.view")
def brand_activities(request, brand_id: int):
    brand = selectors.get_brand_for(fetched_by=request.user, pk=brand_id)
    return list(selectors.activities_of(fetched_by=request.user, brand=brand)[:1000])


@router.post("/brands/{int:brand_id}/activities", response={201: schemas.BrandLinkOut})
@scoped("brands.manage")
def brand_link_activity(request, brand_id: int, payload: schemas.BrandLinkIn):
    brand = selectors.get_brand_for(fetched_by=request.user, pk=brand_id)
    activity = selectors.get_activity_choice(fetched_by=request.user, pk=payload.activity_id)
    link = services.brand_link_activity(acting_user=request.user, brand=brand, activity=activity)
    return Status(201, link)


class BrandYearQuery(Schema):
    year: Year | None = None


@router.get(
    "/brands/{int:brand_id}/figures",
    response=schemas.BrandFiguresOut,
    summary="A year's figures counted from the linked activities' service records",
)
@scoped("brands.view")
def brand_figures(request, brand_id: int, query: Query[BrandYearQuery]):
    brand = selectors.get_brand_for(fetched_by=request.user, pk=brand_id)
    year = query.year or timezone.localdate().year
    figures = selectors.brand_figures(brand=brand, year=year)
    return {**figures.__dict__, "satisfaction": figures.satisfaction}


@router.post("/brands/{int:brand_id}/targets", response=schemas.BrandTargetOut)
@scoped("brands.manage")
def brand_target(request, brand_id: int, payload: schemas.BrandTargetIn):
    brand = selectors.get_brand_for(fetched_by=request.user, pk=brand_id)
    return services.target_set(acting_user=request.user, brand=brand, **payload.dict())


@router.get("/brands/{int:brand_id}/evaluations", response=list[schemas.BrandEvaluationOut])
@scoped("brands.view")
def brand_evaluations(request, brand_id: int):
    brand = selectors.get_brand_for(fetched_by=request.user, pk=brand_id)
    return list(selectors.evaluations_of(fetched_by=request.user, brand=brand))


@router.post("/brands/{int:brand_id}/evaluations", response=schemas.BrandEvaluationOut)
@scoped("brands.evaluate")
def brand_evaluate(request, brand_id: int, payload: schemas.BrandEvaluateIn):
    brand = selectors.get_brand_for(fetched_by=request.user, pk=brand_id)
    return services.brand_evaluate(acting_user=request.user, brand=brand, **payload.dict())


@router.get("/brands/{int:brand_id}/recognitions", response=list[schemas.BrandRecognitionOut])
@scoped("brands.view")
def brand_recognitions(request, brand_id: int):
    brand = selectors.get_brand_for(fetched_by=request.user, pk=brand_id)
    return list(selectors.recognitions_of(fetched_by=request.user, brand=brand))


@router.post("/brands/{int:brand_id}/recognitions", response={201: schemas.BrandRecognitionOut})
@scoped("brands.manage")
def brand_apply(request, brand_id: int, payload: schemas.BrandApplyIn):
    brand = selectors.get_brand_for(fetched_by=request.user, pk=brand_id)
    found = services.recognition_apply(acting_user=request.user, brand=brand, **payload.dict())
    return Status(201, found)


action_route(router, RECOGNITION, path="/recognitions", response=schemas.BrandRecognitionOut)
