"""Suggestions API: the groups and the suggestions the caller sees, one suggestion, and its
lifecycle's actions (answer, publish, convert). Scoped like every list: 404 outside."""

from ninja.pagination import paginate

from shegong.core.api_access import Router, scoped
from shegong.core.api_schema import Pagination, Text
from shegong.core.workflow.api import action_route
from shegong.suggestions import selectors
from shegong.suggestions.schemas import SuggestionGroupOut, SuggestionOut
from shegong.suggestions.workflow import SUGGESTION

router = Router(tags=["suggestions 群众意见建议"])


@router.get("", response=list[SuggestionOut], summary="Suggestions the caller sees")
@scoped("suggestions.view")
@paginate(Pagination, page_size=50)
def suggestion_list(
    request, status: Text(16) = "", topic: Text(16) = "", month: Text(7) = "", region: Text(12) = ""
):
    return selectors.suggestion_list(
        fetched_by=request.user, status=status, topic=topic, month=month, region=region
    ).select_related("matter")


@router.get("/groups", response=list[SuggestionGroupOut], summary="Groups of near-duplicates")
@scoped("suggestions.view")
@paginate(Pagination, page_size=50)
def group_list(request, status: Text(16) = "", topic: Text(16) = "", month: Text(7) = ""):
    return selectors.group_rows(fetched_by=request.user, status=status, topic=topic, month=month)


@router.get("/{int:suggestion_id}", response=SuggestionOut)
@scoped("suggestions.view")
def suggestion_detail(request, suggestion_id: int):
    return selectors.get_suggestion_for(fetched_by=request.user, pk=suggestion_id)


action_route(router, SUGGESTION, path="", response=SuggestionOut)
