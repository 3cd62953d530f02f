from ninja import Query, Router, Schema
from ninja.pagination import paginate

from shegong.core.api_schema import Choice, Digits, Pagination, Search
from shegong.core.api_utils import require_perm
from shegong.core.history import history_of
from shegong.orgs import selectors, services
from shegong.orgs.models import Kind, Sector
from shegong.orgs.schemas import HistoryEntryOut, OrganisationIn, OrganisationOut, OrganisationPatch

router = Router(tags=["organisations 组织"])


class OrganisationFilters(Schema):
    kind: Choice(Kind, blank=True) = ""
    region: Digits = ""
    q: Search = ""
    sector: Choice(Sector, blank=True) = ""


def _data(request, payload: dict) -> dict:
    data = {k: v for k, v in payload.items() if k not in ("region", "parent_id")}
    if "region" in payload and payload["region"] is not None:
        data["region"] = services.resolve_region(payload["region"], user=request.user)
    if "parent_id" in payload:
        data["parent_id"] = payload["parent_id"]
    return data


@router.get("/", response=list[OrganisationOut], summary="List organisations in the jurisdiction")
@paginate(Pagination, page_size=25)
def organisation_list(request, filters: Query[OrganisationFilters]):
    require_perm(request, "orgs.view")
    return selectors.organisation_list(
        fetched_by=request.user,
        kind=filters.kind,
        region_prefix=filters.region,
        q=filters.q,
        sector=filters.sector,
    ).order_by("region_id", "name", "id")


@router.get("/{int:org_id}", response=OrganisationOut)
def organisation_detail(request, org_id: int):
    require_perm(request, "orgs.view")
    return selectors.get_organisation_for(request.user, org_id)


@router.get("/{int:org_id}/history", response=list[HistoryEntryOut])
def organisation_history(request, org_id: int):
    require_perm(request, "orgs.view")
    org = selectors.get_organisation_for(request.user, org_id)
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
def organisation_create(request, payload: OrganisationIn):
    require_perm(request, "orgs.edit")
    org = services.organisation_create(created_by=request.user, data=_data(request, payload.dict()))
    return 201, org


@router.patch("/{int:org_id}", response=OrganisationOut)
def organisation_update(request, org_id: int, payload: OrganisationPatch):
    require_perm(request, "orgs.edit")
    org = selectors.get_organisation_for(request.user, org_id)
    return services.organisation_update(
        organisation=org,
        updated_by=request.user,
        data=_data(request, payload.dict(exclude_unset=True)),
    )
