from ninja import Query
from ninja.pagination import paginate

from shegong.core.api_access import Router, scoped
from shegong.core.api_schema import Pagination
from shegong.core.history import history_of
from shegong.orgs import selectors, services
from shegong.orgs.schemas import (
    HistoryEntryOut,
    OrganisationFilters,
    OrganisationIn,
    OrganisationOut,
    OrganisationPatch,
)
from shegong.regions.selectors import region_resolve

router = Router(tags=["organisations 组织"])


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
    org = selectors.get_organisation_for(fetched_by=request.user, pk=org_id)
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
        for e in history_of(org)
    ]


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
