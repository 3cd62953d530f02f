"""Internal API for matters, their timeline, mediation and follow-ups (scoped like the pages)."""

from typing import Literal

from django.shortcuts import get_object_or_404
from ninja import Router, Status
from ninja.pagination import paginate

from shegong.core.api_schema import Choice, Digits, ModelText, Pagination, Search
from shegong.core.api_utils import require_perm
from shegong.orgs.models import Organisation
from shegong.petitions import schemas, selectors, services
from shegong.petitions.models import Category, Channel
from shegong.petitions.workflow import Status as MatterStatus

router = Router(tags=["petitions 信访与矛盾纠纷"])


@router.get("/matters", response=list[schemas.MatterOut], summary="事项列表（本辖区）")
@paginate(Pagination, page_size=50)
def list_matters(
    request,
    view: Literal[tuple(selectors.LIST_VIEWS)] = "all",
    q: Search = "",
    status: Choice(MatterStatus, blank=True) = "",
    category: ModelText(Category, "code") = "",
    channel: Choice(Channel, blank=True) = "",
    region: Digits = "",
):
    require_perm(request, "petitions.view")
    return (
        selectors.matter_list(
            fetched_by=request.user,
            view=view,
            q=q,
            status=status,
            category=category,
            channel=channel,
            region=region,
        )
        .select_related("repeat_of")
        .order_by("-received_on", "-id")
    )


@router.post("/matters", response={201: schemas.MatterCreatedOut}, summary="登记事项")
def create_matter(request, payload: schemas.MatterIn):
    require_perm(request, "petitions.register")
    category = get_object_or_404(Category, code=payload.category_code)
    matter = services.matter_register(
        registered_by=request.user,
        kind=payload.kind,
        channel=payload.channel,
        region_code=payload.region_code,
        category=category,
        title=payload.title,
        request=payload.request,
        facts=payload.facts,
        address=payload.address,
        urgency=payload.urgency,
        anonymous=payload.anonymous,
        received_on=payload.received_on,
        petitioners=[p.dict() for p in payload.petitioners],
    )
    return Status(201, matter)


@router.get("/matters/{pk}", response=schemas.MatterDetailOut, summary="事项详情")
def get_matter(request, pk: int):
    require_perm(request, "petitions.view")
    return selectors.get_matter_for(request.user, pk)


@router.get("/matters/{pk}/events", response=list[schemas.EventOut], summary="办理过程（时间线）")
def matter_events(request, pk: int):
    require_perm(request, "petitions.view")
    return list(selectors.timeline(selectors.get_matter_for(request.user, pk)))


@router.post("/matters/{pk}/route", response=schemas.MatterDetailOut, summary="交办")
def route_matter(request, pk: int, payload: schemas.RouteIn):
    require_perm(request, "petitions.route")
    matter = selectors.get_matter_for(request.user, pk)
    org = get_object_or_404(Organisation, pk=payload.organisation_id)
    return services.matter_route(
        matter=matter, organisation=org, routed_by=request.user, note=payload.note
    )


@router.post("/matters/{pk}/accept", response=schemas.MatterDetailOut, summary="受理")
def accept_matter(request, pk: int):
    require_perm(request, "petitions.handle")
    return services.matter_accept(
        matter=selectors.get_matter_for(request.user, pk), accepted_by=request.user
    )


@router.post("/matters/{pk}/object", response=schemas.MatterDetailOut, summary="异议退回")
def object_matter(request, pk: int, payload: schemas.ReasonIn):
    require_perm(request, "petitions.handle")
    return services.matter_object(
        matter=selectors.get_matter_for(request.user, pk),
        objected_by=request.user,
        reason=payload.reason,
    )


@router.post("/matters/{pk}/reply", response=schemas.MatterDetailOut, summary="出具处理意见书")
def reply_matter(request, pk: int, payload: schemas.ReplyIn):
    require_perm(request, "petitions.handle")
    return services.matter_reply(
        matter=selectors.get_matter_for(request.user, pk),
        replied_by=request.user,
        reply_kind=payload.reply_kind,
        text=payload.text,
    )


@router.post("/matters/{pk}/extend", response=schemas.MatterDetailOut, summary="批准延期")
def extend_matter(request, pk: int, payload: schemas.ExtendIn):
    require_perm(request, "petitions.approve_extension")
    matter = selectors.get_matter_for(request.user, pk)
    services.matter_extend(
        matter=matter, days=payload.days, reason=payload.reason, approved_by=request.user
    )
    return matter


@router.post("/matters/{pk}/close", response=schemas.MatterDetailOut, summary="办结")
def close_matter(request, pk: int):
    require_perm(request, "petitions.handle")
    return services.matter_close(
        matter=selectors.get_matter_for(request.user, pk), closed_by=request.user
    )


@router.get("/matters/{pk}/followups", response=list[schemas.FollowUpOut], summary="回访记录")
def matter_followups(request, pk: int):
    require_perm(request, "petitions.view")
    return list(selectors.get_matter_for(request.user, pk).followups.select_related("by"))


@router.post("/matters/{pk}/followups", response={201: schemas.FollowUpOut}, summary="记录回访")
def create_followup(request, pk: int, payload: schemas.FollowUpIn):
    require_perm(request, "petitions.followup")
    followup = services.followup_record(
        matter=selectors.get_matter_for(request.user, pk),
        recorded_by=request.user,
        method=payload.method,
        notes=payload.notes,
        rating=payload.rating,
    )
    return Status(201, followup)


@router.get("/mediations/{pk}", response=schemas.MediationOut, summary="调解详情")
def get_mediation(request, pk: int):
    require_perm(request, "petitions.view")
    return selectors.mediation_for(request.user, pk)


@router.get("/mediations", response=list[schemas.MediationOut], summary="调解列表（本辖区）")
@paginate(Pagination, page_size=50)
def list_mediations(request):
    require_perm(request, "petitions.view")
    return selectors.mediation_list(fetched_by=request.user)
