from django.http import Http404
from ninja import Query
from ninja.pagination import paginate

from shegong.core.api_access import Router, scoped
from shegong.core.api_schema import Pagination
from shegong.core.history import history_of
from shegong.core.scoping import jurisdiction_of
from shegong.orgs import selectors, services
from shegong.orgs.schemas import (
    DutyHolderOut,
    DutyHolderQuery,
    DutyListOut,
    DutyListPublishIn,
    DutyListSummaryOut,
    HistoryEntryOut,
    OrganisationFilters,
    OrganisationIn,
    OrganisationOut,
    OrganisationPatch,
    StaffingStandardIn,
    StaffingStandardOut,
    StaffingStandardQuery,
)
from shegong.regions.selectors import region_resolve

router = Router(tags=["organisations 组织"])


def _history(obj) -> list[dict]:
    return [
        {
            "at": e.at,
            "user": str(e.user) if e.user else None,
            "kind": e.kind,
            "changes": [
                {
                    "field": c.field,
                    "old": None if c.old is None else str(c.old),
                    "new": None if c.new is None else str(c.new),
                }
                for c in e.changes
            ],
        }
        for e in history_of(obj)
    ]


# ---- staffing standards of township social work stations ---------------------------------------


def _placed(standards):
    names = selectors.standard_place_names(standards)
    for standard in standards:
        standard.place = names.get(standard.region_code, standard.region_code)
    return standards


@router.get(
    "/standards",
    response=list[StaffingStandardOut],
    summary="Staffing standards of stations that apply in or are set inside the jurisdiction",
)
@scoped("orgs.view")
def staffing_standard_list(request):
    return _placed(selectors.staffing_standard_list(fetched_by=request.user))


@router.get(
    "/standards/applies",
    response=StaffingStandardOut,
    summary="The standard that applies in a region (its city's, province's or the national)",
)
@scoped("orgs.view")
def staffing_standard_applies(request, query: Query[StaffingStandardQuery]):
    code = (
        region_resolve(query.region, fetched_by=request.user).code
        if query.region
        else jurisdiction_of(request.user).region_code
    )
    standard = selectors.staffing_standard_resolve(code or "")
    if standard is None:
        raise Http404("No standard")
    return _placed([standard])[0]


@router.put(
    "/standards",
    response=StaffingStandardOut,
    summary="Set the standard of a province or city (or the national default)",
)
@scoped("orgs.standards_edit")
def staffing_standard_set(request, payload: StaffingStandardIn):
    data = payload.dict()
    region = data.pop("region")
    code = region_resolve(region, fetched_by=request.user, levels=(1, 2)).code if region else ""
    standard = services.staffing_standard_set(acting_user=request.user, region_code=code, **data)
    return _placed([standard])[0]


@router.get("/standards/{int:standard_id}/history", response=list[HistoryEntryOut])
@scoped("orgs.view")
def staffing_standard_history(request, standard_id: int):
    return _history(selectors.get_staffing_standard_for(fetched_by=request.user, pk=standard_id))


# ---- duty lists (职责清单) ---------------------------------------------------------------------


@router.get(
    "/duty-holders",
    response=list[DutyHolderOut],
    summary="Whose duty is it: units of the jurisdiction whose published duty items match a text",
)
@scoped("orgs.view")
def duty_holders(request, query: Query[DutyHolderQuery]):
    return selectors.duty_holders(fetched_by=request.user, text=query.text, within=query.within)


@router.get(
    "/{int:org_id}/duties",
    response=list[DutyListOut],
    summary="The organisation's duty lists in force (the whole unit's and one per post)",
)
@scoped("orgs.view")
def duty_lists_current(request, org_id: int):
    org = selectors.get_organisation_for(fetched_by=request.user, pk=org_id)
    return selectors.duty_lists_current(fetched_by=request.user, organisation=org)


@router.get(
    "/{int:org_id}/duties/versions",
    response=list[DutyListSummaryOut],
    summary="Every version of the organisation's duty lists, newest first",
)
@scoped("orgs.view")
def duty_list_versions(request, org_id: int):
    org = selectors.get_organisation_for(fetched_by=request.user, pk=org_id)
    return selectors.duty_list_versions(fetched_by=request.user, organisation=org)


@router.get("/{int:org_id}/duties/{int:list_id}", response=DutyListOut)
@scoped("orgs.view")
def duty_list_detail(request, org_id: int, list_id: int):
    org = selectors.get_organisation_for(fetched_by=request.user, pk=org_id)
    return selectors.get_duty_list_for(fetched_by=request.user, organisation=org, pk=list_id)


@router.post(
    "/{int:org_id}/duties/publish",
    response={201: DutyListOut},
    summary="Publish a new version of the unit's own duty list (supersedes the one in force)",
)
@scoped("orgs.duties_edit")
def duty_list_publish(request, org_id: int, payload: DutyListPublishIn):
    org = selectors.get_organisation_for(fetched_by=request.user, pk=org_id)
    published = services.duty_list_publish(
        acting_user=request.user,
        organisation=org,
        role=payload.role,
        note=payload.note,
        items=[item.dict() for item in payload.items],
    )
    return 201, published


def _data(request, payload: dict) -> dict:
    data = {k: v for k, v in payload.items() if k not in ("region", "parent_id")}
    if "region" in payload and payload["region"] is not None:
        data["region"] = region_resolve(payload["region"], fetched_by=request.user)
    if "parent_id" in payload:
        data["parent_id"] = payload["parent_id"]
    return data


@router.get("/", response=list[OrganisationOut], summary="List organisations in the jurisdiction")
@scoped("orgs.view")
@paginate(Pagination, page_size=25)
def organisation_list(request, filters: Query[OrganisationFilters]):
    return selectors.organisation_list(
        fetched_by=request.user,
        kind=filters.kind,
        region_prefix=filters.region,
        q=filters.q,
        sector=filters.sector,
    ).order_by("region_id", "name", "id")


@router.get("/{int:org_id}", response=OrganisationOut)
@scoped("orgs.view")
def organisation_detail(request, org_id: int):
    return selectors.get_organisation_for(fetched_by=request.user, pk=org_id)


@router.get("/{int:org_id}/history", response=list[HistoryEntryOut])
@scoped("orgs.view")
def organisation_history(request, org_id: int):
    return _history(selectors.get_organisation_for(fetched_by=request.user, pk=org_id))


@router.post("/", response={201: OrganisationOut})
@scoped("orgs.edit")
def organisation_create(request, payload: OrganisationIn):
    org = services.organisation_create(
        acting_user=request.user, data=_data(request, payload.dict())
    )
    return 201, org


@router.patch("/{int:org_id}", response=OrganisationOut)
@scoped("orgs.edit")
def organisation_update(request, org_id: int, payload: OrganisationPatch):
    org = selectors.get_organisation_for(fetched_by=request.user, pk=org_id)
    return services.organisation_update(
        organisation=org,
        acting_user=request.user,
        data=_data(request, payload.dict(exclude_unset=True)),
    )
