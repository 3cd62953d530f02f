"""Party register API: party organisations (list, read, register, change, dissolve) and the
coverage roll-up. Scoped like the pages: a row outside the caller's jurisdiction is a 404."""

from ninja import Query, Schema, Status
from ninja.pagination import paginate

from shegong.core.api_access import Router, scoped
from shegong.core.api_schema import Digits, Pagination, Text
from shegong.party import schemas, selectors, services
from shegong.party.models import PartyOrgKind

router = Router(tags=["party 党建引领"])


class PartyFilters(Schema):
    kind: Text(16) = ""
    q: Text(100) = ""
    active: Text(3) = "1"


def _out(request, party_org):
    return selectors.get_party_organisation_for(
        fetched_by=request.user, pk=party_org.pk, with_coverage=True
    )


@router.get(
    "/organisations",
    response=list[schemas.PartyOrganisationOut],
    summary="Party organisations in the caller's jurisdiction",
)
@scoped("party.view")
@paginate(Pagination, page_size=50)
def organisation_list(request, filters: Query[PartyFilters]):
    kind = filters.kind if filters.kind in PartyOrgKind.values else ""
    rows = selectors.party_organisation_list(
        fetched_by=request.user, kind=kind, q=filters.q, active=filters.active
    ).order_by("region_code", "name", "id")
    return selectors.with_visible_coverage(fetched_by=request.user, rows=rows)


@router.get("/organisations/{int:party_id}", response=schemas.PartyOrganisationOut)
@scoped("party.view")
def organisation_detail(request, party_id: int):
    found = selectors.get_party_organisation_for(fetched_by=request.user, pk=party_id)
    return _out(request, found)


@router.post(
    "/organisations",
    response={201: schemas.PartyOrganisationOut},
    summary="Register a party organisation",
)
@scoped("party.manage")
def organisation_create(request, payload: schemas.PartyOrganisationIn):
    data = payload.dict()
    host = selectors.get_host_for(fetched_by=request.user, pk=data.pop("host_id"))
    team_id = data.pop("team_id")
    team = selectors.get_team_for(fetched_by=request.user, pk=team_id) if team_id else None
    covered = selectors.organisations_by_ids(fetched_by=request.user, ids=data.pop("covered_ids"))
    created = services.party_organisation_create(
        acting_user=request.user, host=host, team=team, covered=covered, **data
    )
    return Status(201, _out(request, created))


@router.put(
    "/organisations/{int:party_id}",
    response=schemas.PartyOrganisationOut,
    summary="Change a party organisation (and a joint one's covered organisations)",
)
@scoped("party.manage")
def organisation_update(request, party_id: int, payload: schemas.PartyOrganisationChange):
    found = selectors.get_party_organisation_for(fetched_by=request.user, pk=party_id)
    data = payload.dict()
    covered = selectors.organisations_by_ids(fetched_by=request.user, ids=data.pop("covered_ids"))
    changed = services.party_organisation_update(
        acting_user=request.user, party_org=found, covered=covered, **data
    )
    return _out(request, changed)


@router.post(
    "/organisations/{int:party_id}/dissolve",
    response=schemas.PartyOrganisationOut,
    summary="Record that a party organisation was dissolved",
)
@scoped("party.manage")
def organisation_dissolve(request, party_id: int, payload: schemas.DissolveIn):
    found = selectors.get_party_organisation_for(fetched_by=request.user, pk=party_id)
    changed = services.party_organisation_dissolve(
        acting_user=request.user, party_org=found, dissolved_on=payload.dissolved_on
    )
    return _out(request, changed)


class CoverageFilters(Schema):
    region: Digits = ""


@router.get(
    "/coverage",
    response=schemas.CoverageOut,
    summary="Party organisation coverage per child region (per organisation below a township)",
)
@scoped("party.view")
def coverage(request, filters: Query[CoverageFilters]):
    return selectors.coverage_rollup(fetched_by=request.user, region_code=filters.region)
