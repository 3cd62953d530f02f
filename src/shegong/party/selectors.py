"""Reads of the party register: every one starts from `visible_to(fetched_by)` (or the subtree
of a region the reader may see). The coverage roll-up is set-based: one GROUP BY on a
region-code prefix (or on the organisation, below a township) per figure family, with the party
members counted from the workforce's and the volunteers' own records, never re-entered."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import Substr
from django.http import Http404

from shegong.core.regioncode import PREFIX_LENGTH, RegionCode
from shegong.core.scoping import NOWHERE, get_visible_or_404, jurisdiction_of
from shegong.orgs.models import Kind, Organisation
from shegong.party.models import COVERED_KINDS, PartyCoverage, PartyOrganisation

HAS_ONE = (
    "Whether an organisation the reader may see has a party organisation of its own or is "
    "covered by a joint one: a yes or no correlated to the visible organisation's row"
)


def party_organisation_list(
    *, fetched_by: Any, kind: str = "", q: str = "", active: str = "1"
) -> QuerySet[PartyOrganisation]:
    rows = PartyOrganisation.objects.visible_to(fetched_by).select_related("host", "team")
    if kind:
        rows = rows.filter(kind=kind)
    if active == "1":
        rows = rows.filter(dissolved_on__isnull=True)
    elif active == "0":
        rows = rows.filter(dissolved_on__isnull=False)
    if q:
        rows = rows.filter(Q(name__icontains=q) | Q(host__name__icontains=q))
    return rows


def get_party_organisation_for(
    *, fetched_by: Any, pk: int, with_coverage: bool = False
) -> PartyOrganisation:
    rows = PartyOrganisation.objects.visible_to(fetched_by).select_related("host", "team")
    if with_coverage:
        rows = with_visible_coverage(fetched_by=fetched_by, rows=rows)
    return get_visible_or_404(rows, fetched_by, pk=pk)


def coverage_of(*, fetched_by: Any, party_org: PartyOrganisation) -> list[Organisation]:
    """The organisations a joint party organisation covers, as far as the reader may see."""
    links = PartyCoverage.objects.visible_to(fetched_by).filter(party_organisation=party_org)
    return list(
        Organisation.objects.visible_to(fetched_by)
        .filter(pk__in=links.values("organisation_id"))
        .order_by("name")
    )


def host_choices(*, fetched_by: Any) -> QuerySet[Organisation]:
    """Organisations a party organisation may be set up in: active, in the jurisdiction."""
    return (
        Organisation.objects.visible_to(fetched_by)
        .filter(is_active=True)
        .exclude(kind__in=[Kind.GOVERNMENT_DEPARTMENT, Kind.HOSPITAL])
        .order_by("region_id", "name")
    )


def team_choices(*, fetched_by: Any):
    from shegong.volunteers.models import Team

    return Team.objects.visible_to(fetched_by).filter(is_active=True).order_by("name")


def history_of(*, fetched_by: Any, party_org: PartyOrganisation) -> list:
    found = get_party_organisation_for(fetched_by=fetched_by, pk=party_org.pk)
    return list(found.history.order_by("-history_date")[:50])


# ---- coverage roll-up --------------------------------------------------------------------------


@dataclass
class CoverageRow:
    key: str  # a child region prefix, or an organisation id below a township
    name: str
    drill: str = ""
    organisations: int = 0
    with_own: int = 0
    joint_covered: int = 0
    stations: int = 0
    stations_covered: int = 0
    teams: int = 0
    teams_with: int = 0
    party_organisations: int = 0
    members: int = 0
    party_workers: int = 0
    party_volunteers: int = 0

    @property
    def covered(self) -> int:
        return self.with_own + self.joint_covered

    @property
    def covered_share(self) -> float | None:
        return self.covered / self.organisations if self.organisations else None

    @property
    def station_share(self) -> float | None:
        return self.stations_covered / self.stations if self.stations else None

    @property
    def team_share(self) -> float | None:
        return self.teams_with / self.teams if self.teams else None


SUMMED = (
    "organisations", "with_own", "joint_covered", "stations", "stations_covered", "teams",
    "teams_with", "party_organisations", "members", "party_workers", "party_volunteers",
)  # fmt: skip


@dataclass
class CoverageRollup:
    region_code: str
    region_name: str
    level: int
    rows: list[CoverageRow]
    total: CoverageRow
    by_organisation: bool = False
    notes: list[str] = field(default_factory=list)


def _grouped(qs: QuerySet, key, **figures) -> dict[str, dict]:
    rows = qs.annotate(k=key).values("k").annotate(**figures).order_by()
    return {str(r.pop("k")): r for r in rows if r["k"] is not None}


def coverage_rollup(*, fetched_by: Any, region_code: str = "") -> CoverageRollup:
    """Party organisation coverage per child region of `region_code` (per organisation below a
    township): organisations (stations, social work organisations, other social organisations)
    with their own party organisation or covered by a joint one, stations, volunteer teams with
    a party organisation, and the party members among workers and volunteers."""
    from shegong.regions.models import Region
    from shegong.regions.selectors import region_for, region_names
    from shegong.volunteers.models import Team, Volunteer
    from shegong.workforce.models import WorkerProfile, WorkerStatus

    jurisdiction = jurisdiction_of(fetched_by)
    if jurisdiction is NOWHERE:
        raise Http404("Not found")
    region = region_for(fetched_by=fetched_by, code=region_code or jurisdiction.region_code)
    code = RegionCode(region.code)
    level, prefix = code.level, code.prefix
    by_org = level >= 4
    active_party = PartyOrganisation.objects.unscoped(reason=HAS_ONE).filter(
        dissolved_on__isnull=True
    )
    # Organisations with a party organisation of their own (or hosting a joint one), and those
    # a joint one covers: uncorrelated sets, used in WHERE (hashed semi-joins), never inside an
    # aggregate's FILTER (where each row would probe them again).
    with_own = active_party.filter(Q(team__isnull=True) | Q(is_joint=True)).values("host_id")
    jointly = PartyCoverage.objects.unscoped(reason=HAS_ONE).filter(
        party_organisation__dissolved_on__isnull=True
    )
    station = Q(kind=Kind.SOCIAL_WORK_STATION)
    orgs = (
        Organisation.objects.visible_to(fetched_by)
        .in_subtree(prefix)
        .filter(is_active=True, kind__in=COVERED_KINDS)
    )
    teams = Team.objects.visible_to(fetched_by).in_subtree(prefix).filter(is_active=True)
    party = PartyOrganisation.objects.visible_to(fetched_by).in_subtree(prefix)
    workers = WorkerProfile.objects.visible_to(fetched_by).in_subtree(prefix)
    volunteers = Volunteer.objects.visible_to(fetched_by).in_subtree(prefix)
    if by_org:
        key = {
            "org": F("pk"),
            "team": F("organisation_id"),
            "party": F("host_id"),
            "worker": F("employer_id"),
            "volunteer": F("organisation_id"),
        }
    else:
        child_len = PREFIX_LENGTH[level + 1]
        key = {
            "org": Substr("region_id", 1, child_len),
            "team": Substr("region_id", 1, child_len),
            "party": Substr("region_code", 1, child_len),
            "worker": Substr("region_code", 1, child_len),
            "volunteer": Substr("region_id", 1, child_len),
        }
    counted = {"n": Count("pk"), "stations": Count("pk", filter=station)}
    every = _grouped(orgs, key["org"], **counted)
    own = _grouped(orgs.filter(pk__in=with_own), key["org"], **counted)
    joint = _grouped(
        orgs.filter(pk__in=jointly.values("organisation_id")).exclude(pk__in=with_own),
        key["org"],
        **counted,
    )
    organisations = {
        k: {
            "organisations": v["n"],
            "stations": v["stations"],
            "with_own": own.get(k, {}).get("n", 0),
            "joint_covered": joint.get(k, {}).get("n", 0),
            "stations_covered": own.get(k, {}).get("stations", 0)
            + joint.get(k, {}).get("stations", 0),
        }
        for k, v in every.items()
    }
    figures = [
        organisations,
        _grouped(teams, key["team"], teams=Count("pk")),
        _grouped(
            teams.filter(pk__in=active_party.filter(team__isnull=False).values("team_id")),
            key["team"],
            teams_with=Count("pk"),
        ),
        _grouped(
            party.filter(dissolved_on__isnull=True),
            key["party"],
            party_organisations=Count("pk"),
            members=Sum("members_count"),
        ),
        _grouped(
            workers.filter(status=WorkerStatus.IN_POST, party_member=True),
            key["worker"],
            party_workers=Count("*"),  # COUNT(*): answered from the partial index alone
        ),
        _grouped(
            volunteers.filter(is_active=True, is_party_member=True),
            key["volunteer"],
            party_volunteers=Count("pk"),
        ),
    ]
    rows: dict[str, CoverageRow] = {}
    if by_org:
        ids = {int(k) for family in figures for k in family}
        for org in Organisation.objects.visible_to(fetched_by).filter(pk__in=ids).order_by("name"):
            rows[str(org.pk)] = CoverageRow(key=str(org.pk), name=org.name)
    else:
        for child in Region.objects.filter(parent_id=region.code).order_by("code"):
            p = child.code[:child_len]
            rows[p] = CoverageRow(key=p, name=child.name, drill=child.code)
        missing = {k for family in figures for k in family if k not in rows}
        names = region_names([RegionCode.from_prefix(k) for k in missing if k.isdigit()])
        for k in sorted(missing):
            full = RegionCode.from_prefix(k) if k.isdigit() else k
            rows[k] = CoverageRow(key=k, name=names.get(full, full), drill=full)
    for family in figures:
        for k, values in family.items():
            row = rows.get(k)
            if row is not None:
                for name, value in values.items():
                    setattr(row, name, value or 0)
    total = CoverageRow(key=region.code, name=region.name)
    for row in rows.values():
        for name in SUMMED:
            setattr(total, name, getattr(total, name) + getattr(row, name))
    return CoverageRollup(
        region_code=region.code,
        region_name=region.name,
        level=level,
        rows=list(rows.values()),
        total=total,
        by_organisation=by_org,
    )


# ---- references by id (the API) ---------------------------------------------------------------


def get_host_for(*, fetched_by: Any, pk: int) -> Organisation:
    return get_visible_or_404(host_choices(fetched_by=fetched_by), fetched_by, pk=pk)


def get_team_for(*, fetched_by: Any, pk: int):
    return get_visible_or_404(team_choices(fetched_by=fetched_by), fetched_by, pk=pk)


def organisations_by_ids(*, fetched_by: Any, ids: list[int]) -> list[Organisation]:
    """The organisations named by `ids`, all of them visible to the reader, or a refusal that
    names the field (an id the reader may not see is as unknown as one that does not exist)."""
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    wanted = set(ids)
    found = list(host_choices(fetched_by=fetched_by).filter(pk__in=wanted))
    if len(found) != len(wanted):
        raise ValidationError({"covered_ids": _("有的单位不存在或不在您的辖区范围内。")})
    return found


def with_visible_coverage(*, fetched_by: Any, rows: QuerySet) -> QuerySet:
    """Party organisations, each with the coverage rows the reader may see (the covered
    organisation's region is the row's): one more query per page."""
    from django.db.models import Prefetch

    return rows.prefetch_related(
        Prefetch(
            "coverage",
            queryset=PartyCoverage.objects.visible_to(fetched_by).order_by("organisation_id"),
            to_attr="visible_coverage",
        )
    )
