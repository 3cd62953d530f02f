"""Demo party organisations in Tianhe and Yingde: stations and agencies with their own branches,
a joint branch covering small social organisations, one dissolved, and a party-member volunteer
team's branch — so that coverage is realistic (neither empty nor complete)."""

from __future__ import annotations

from datetime import date

from shegong.core.demo_utils import demo_user

SEEDING = "Seeds the demo data as the system (make demo); it answers no user's request."


def load(*, stdout) -> None:
    from shegong.orgs.models import Kind, Organisation
    from shegong.party.models import COVERED_KINDS, PartyOrganisation
    from shegong.party.services import (
        party_organisation_create,
        party_organisation_dissolve,
    )

    if PartyOrganisation.objects.unscoped(reason=SEEDING).exists():
        return
    made = 0
    for county in ("440106000000", "441881000000"):
        actor = demo_user("tianhe" if county == "440106000000" else "yingde")
        if actor is None:
            continue
        orgs = list(
            Organisation.objects.unscoped(reason=SEEDING)
            .in_subtree(county[:6])
            .filter(is_active=True, kind__in=COVERED_KINDS)
            .order_by("kind", "name")
        )
        stations = [o for o in orgs if o.kind == Kind.SOCIAL_WORK_STATION]
        others = [o for o in orgs if o.kind != Kind.SOCIAL_WORK_STATION]
        # About two thirds of the stations have their own branch.
        for i, station in enumerate(stations):
            if i % 3 == 2:
                continue
            party_organisation_create(
                acting_user=actor,
                name=f"{station.name}党支部",
                kind="branch",
                host=station,
                established_on=date(2021 + i % 4, 7, 1),
                secretary=["李红", "王建国", "陈志强", "张丽"][i % 4],
                members_count=3 + i % 6,
            )
            made += 1
        if len(others) >= 3:
            lead, *small = others
            party_organisation_create(
                acting_user=actor,
                name=f"{lead.name}联合党支部",
                kind="branch",
                is_joint=True,
                host=lead,
                covered=small[:2],
                established_on=date(2023, 3, 1),
                secretary="刘洋",
                members_count=7,
            )
            made += 1
            if len(small) > 2:
                old = party_organisation_create(
                    acting_user=actor,
                    name=f"{small[2].name}党支部",
                    kind="branch",
                    host=small[2],
                    established_on=date(2019, 6, 1),
                    secretary="赵敏",
                    members_count=3,
                )
                party_organisation_dissolve(
                    acting_user=actor, party_org=old, dissolved_on=date(2025, 12, 31)
                )
                made += 1
    stdout.write(f"party organisations: {made}\n")
