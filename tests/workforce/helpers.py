"""Builders for workforce tests: employers in 天河区 and 英德市, worker profiles, certificates."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

from shegong.workforce import services
from tests.factories import OrganisationFactory
from tests.volunteers.helpers import resident_id

_seq = itertools.count(500)

TIANHE = "440106000000"
TIANHE_STATION = "440106001000"
YINGDE = "441881000000"


def employer(region: str = TIANHE_STATION, name: str = "五山街社工站", kind: str = "sw_station"):
    return OrganisationFactory(region_id=region, kind=kind, name=name)


def make_worker(
    by,
    *,
    org=None,
    name: str = "",
    education: str = "bachelor",
    social_work_major: bool = True,
    start: date | None = None,
    level: str = "",
    issued: date | None = None,
    supervisor: bool = False,
):
    n = next(_seq)
    org = org or employer(by.active_membership.organisation.region_id[:6] + "001000")
    worker = services.worker_create(
        acting_user=by,
        id_number=resident_id(org.region_id[:6], date(1985, 1, 1) + timedelta(days=n * 13), n),
        employer=org,
        name=name or f"社工{n}",
        education=education,
        social_work_major=social_work_major,
        social_work_start_date=start or date(2015, 3, 1),
        approved_supervisor=supervisor,
    )
    if level:
        services.certificate_record(
            worker=worker,
            acting_user=by,
            level=level,
            number=f"C{level[:2]}{n:08d}",
            issued_on=issued or date(2019, 6, 1),
        )
        worker.refresh_from_db()
    return worker


def make_visit(by, *, name: str = "黄阿婆", village: str = "440106001001", days_ago: int = 3):
    """A real home visit (people.Visit) to a resident of the village, recorded by `by`."""
    from shegong.people import services as people
    from shegong.regions.models import Region

    n = next(_seq)
    resident = people.resident_create(
        acting_user=by,
        name=name,
        id_number=resident_id(village[:6], date(1942, 2, 1) + timedelta(days=n), n),
        region=Region.objects.get(code=village),
        categories=[],
        confirm_duplicates=True,
    )
    return people.visit_record(
        resident=resident,
        acting_user=by,
        visited_on=date.today() - timedelta(days=days_ago),
        mode="home",
        needs="需要助餐服务",
    )
