"""Internal API for matters, their timeline, mediation and follow-ups (scoped like the pages).

Every action of a matter is `POST /matters/{pk}/actions/{action}` (core.workflow.api, from the
declaration in workflow.MATTER); the routes of single actions (`/matters/{pk}/route`, …) stay as
aliases for the clients that use them."""

from typing import Literal

from ninja import Status
from ninja.pagination import paginate

from shegong.core.api_access import Router, scoped
from shegong.core.api_schema import Choice, Digits, ModelText, Pagination, Search
from shegong.core.workflow.api import action_route
from shegong.petitions import schemas, selectors, services
from shegong.petitions.forms import COUNTY_AND_BELOW
from shegong.petitions.models import Category, Channel
from shegong.petitions.workflow import MATTER, MEDIATION
from shegong.petitions.workflow import Status as MatterStatus
from shegong.regions.selectors import region_resolve

router = Router(tags=["petitions 信访与矛盾纠纷"])


@router.get("/matters", response=list[schemas.MatterOut], summary="事项列表（本辖区）")
@scoped("petitions.view")
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
@scoped("petitions.register")
def create_matter(request, payload: schemas.MatterIn):
    category = selectors.get_category_or_404(code=payload.category_code)
    matter = services.matter_register(
        acting_user=request.user,
        kind=payload.kind,
        channel=payload.channel,
        region_code=region_resolve(
            payload.region_code,
            fetched_by=request.user,
            levels=COUNTY_AND_BELOW,
            field="region_code",
        ).code,
        category=category,
        title=payload.title,
        request=payload.request,
        facts=payload.facts,
        address=payload.address,
        urgency=payload.urgency,
        anonymous=payload.anonymous,
        received_on=payload.received_on,
        petitioners=[p.dict() for p in payload.petitioners],
        review_choice=payload.review_choice,
    )
    return Status(201, matter)


@router.get("/matters/{pk}", response=schemas.MatterDetailOut, summary="事项详情")
@scoped("petitions.view")
def get_matter(request, pk: int):
    return selectors.get_matter_for(fetched_by=request.user, pk=pk)


@router.get("/matters/{pk}/events", response=list[schemas.EventOut], summary="办理过程（时间线）")
@scoped("petitions.view")
def matter_events(request, pk: int):
    return list(selectors.timeline(selectors.get_matter_for(fetched_by=request.user, pk=pk)))


@router.post("/matters/{pk}/route", response=schemas.MatterDetailOut, summary="交办")
@scoped("petitions.route")
def route_matter(request, pk: int, payload: schemas.RouteIn):
    matter = selectors.get_matter_for(fetched_by=request.user, pk=pk)
    org = selectors.get_routing_target_or_404(pk=payload.organisation_id)
    return services.matter_route(
        matter=matter, organisation=org, acting_user=request.user, note=payload.note
    )


@router.post("/matters/{pk}/accept", response=schemas.MatterDetailOut, summary="受理")
@scoped("petitions.handle")
def accept_matter(request, pk: int):
    return services.matter_accept(
        matter=selectors.get_matter_for(fetched_by=request.user, pk=pk), acting_user=request.user
    )


@router.post("/matters/{pk}/object", response=schemas.MatterDetailOut, summary="异议退回")
@scoped("petitions.handle")
def object_matter(request, pk: int, payload: schemas.ReasonIn):
    return services.matter_object(
        matter=selectors.get_matter_for(fetched_by=request.user, pk=pk),
        acting_user=request.user,
        reason=payload.reason,
    )


@router.post("/matters/{pk}/reply", response=schemas.MatterDetailOut, summary="出具处理意见书")
@scoped("petitions.handle")
def reply_matter(request, pk: int, payload: schemas.ReplyIn):
    return services.matter_reply(
        matter=selectors.get_matter_for(fetched_by=request.user, pk=pk),
        acting_user=request.user,
        reply_kind=payload.reply_kind,
        text=payload.text,
    )


@router.post("/matters/{pk}/extend", response=schemas.MatterDetailOut, summary="批准延期")
@scoped("petitions.approve_extension")
def extend_matter(request, pk: int, payload: schemas.ExtendIn):
    matter = selectors.get_matter_for(fetched_by=request.user, pk=pk)
    services.matter_extend(
        matter=matter, days=payload.days, reason=payload.reason, acting_user=request.user
    )
    return matter


@router.post("/matters/{pk}/close", response=schemas.MatterDetailOut, summary="办结")
@scoped("petitions.handle")
def close_matter(request, pk: int):
    return services.matter_close(
        matter=selectors.get_matter_for(fetched_by=request.user, pk=pk), acting_user=request.user
    )


@router.get("/matters/{pk}/followups", response=list[schemas.FollowUpOut], summary="回访记录")
@scoped("petitions.view")
def matter_followups(request, pk: int):
    return list(
        selectors.get_matter_for(fetched_by=request.user, pk=pk).followups.select_related("by")
    )


@router.post("/matters/{pk}/followups", response={201: schemas.FollowUpOut}, summary="记录回访")
@scoped("petitions.followup")
def create_followup(request, pk: int, payload: schemas.FollowUpIn):
    followup = services.followup_record(
        matter=selectors.get_matter_for(fetched_by=request.user, pk=pk),
        acting_user=request.user,
        method=payload.method,
        notes=payload.notes,
        rating=payload.rating,
    )
    return Status(201, followup)


@router.get("/mediations/{pk}", response=schemas.MediationOut, summary="调解详情")
@scoped("petitions.view")
def get_mediation(request, pk: int):
    return selectors.mediation_for(fetched_by=request.user, pk=pk)


@router.get("/mediations", response=list[schemas.MediationOut], summary="调解列表（本辖区）")
@scoped("petitions.view")
@paginate(Pagination, page_size=50)
def list_mediations(request):
    return selectors.mediation_list(fetched_by=request.user)


@router.post(
    "/mediations/{pk}/confirmation",
    response=schemas.MediationOut,
    summary="记录当事人是否申请司法确认",
)
@scoped("petitions.mediate")
def record_confirmation(request, pk: int, payload: schemas.ConfirmationIn):
    mediation = selectors.mediation_for(fetched_by=request.user, pk=pk)
    agreement = getattr(mediation, "agreement", None)
    if agreement is None:
        from django.http import Http404

        raise Http404
    services.agreement_record_confirmation(
        agreement=agreement, acting_user=request.user, choice=payload.choice
    )
    return mediation


@router.get(
    "/rating-reviews", response=list[schemas.RatingReviewOut], summary="不满意评价复核（本辖区）"
)
@scoped("petitions.view")
@paginate(Pagination, page_size=50)
def list_rating_reviews(request, open_only: bool = True):
    return selectors.rating_review_list(fetched_by=request.user, open_only=open_only)


@router.post(
    "/rating-reviews/{pk}/close", response=schemas.RatingReviewOut, summary="完成不满意评价复核"
)
@scoped("petitions.supervise")
def close_rating_review(request, pk: int, payload: schemas.RatingReviewCloseIn):
    return services.rating_review_close(
        review=selectors.get_rating_review_for(fetched_by=request.user, pk=pk),
        acting_user=request.user,
        outcome=payload.outcome,
        note=payload.note,
    )


action_route(router, MATTER, path="/matters", response=schemas.MatterDetailOut)
action_route(router, MEDIATION, path="/mediations", response=schemas.MediationOut)
