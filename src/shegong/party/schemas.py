"""API schemas of the party register."""

from datetime import date

from ninja import Field, Schema

from shegong.core.api_schema import Choice, Count, Id, Text
from shegong.party.models import PartyOrgKind


class PartyOrganisationOut(Schema):
    id: int
    name: str
    kind: str
    is_joint: bool
    host_id: int
    host_name: str
    team_id: int | None = None
    region_code: str
    established_on: date
    secretary: str
    members_count: int
    dissolved_on: date | None = None
    covered_ids: list[int]

    @staticmethod
    def resolve_host_name(obj) -> str:
        return obj.host.name

    @staticmethod
    def resolve_covered_ids(obj) -> list[int]:
        return [link.organisation_id for link in obj.visible_coverage]


class PartyOrganisationChange(Schema):
    name: Text(100, min_length=1)
    kind: Choice(PartyOrgKind)
    established_on: date
    secretary: Text(50, min_length=1)
    members_count: Count(0, 100_000)
    covered_ids: list[Id] = Field(default_factory=list, max_length=200)


class PartyOrganisationIn(PartyOrganisationChange):
    host_id: Id
    team_id: Id | None = None
    is_joint: bool = False


class DissolveIn(Schema):
    dissolved_on: date


class CoverageRowOut(Schema):
    key: str
    name: str
    drill: str
    organisations: int
    with_own: int
    joint_covered: int
    covered: int
    covered_share: float | None = None
    stations: int
    stations_covered: int
    station_share: float | None = None
    teams: int
    teams_with: int
    party_organisations: int
    members: int
    party_workers: int
    party_volunteers: int


class CoverageOut(Schema):
    region_code: str
    region_name: str
    level: int
    by_organisation: bool
    rows: list[CoverageRowOut]
    total: CoverageRowOut
