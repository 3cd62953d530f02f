"""Synthetic national data for benchmarks (never used by the test suite).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/shegong_bench .venv/bin/python -m bench.synth --scale national

Loads every administrative division if they are not loaded, then creates — set-based, in large
batches — a social work department and eight government departments in every county, a station and
a party-mass service centre in every township, and staff accounts with memberships for them. Then
runs each domain's generator (`bench/synth_<domain>.py`, a `generate(*, scale, stdout)` function)
unless `--only foundation` is given. Idempotent per scale: rows it made before are kept.
"""

from __future__ import annotations

import argparse
import importlib
import os
import pkgutil
import sys
import time

SCALES = {"small": 0.02, "national": 1.0}
GOV_SECTORS = [
    "civil_affairs",
    "human_resources",
    "justice",
    "housing",
    "health",
    "education",
    "public_security",
    "petition_bureau",
]


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shegong.settings.local")
    import django

    django.setup()


def _counties_and_townships(fraction: float):
    from shegong.regions.models import Level, Region

    counties = list(
        Region.objects.filter(level=Level.COUNTY).order_by("code").values_list("code", "name")
    )
    townships = list(
        Region.objects.filter(level=Level.TOWNSHIP).order_by("code").values_list("code", "name")
    )
    if fraction < 1:
        step = max(1, int(1 / fraction))
        counties, townships = counties[::step], townships[::step]
    return counties, townships


def generate_foundation(*, scale: str, stdout) -> dict[str, int]:
    from django.contrib.auth.hashers import make_password
    from django.db import transaction

    from shegong.accounts.models import Membership, User
    from shegong.orgs.models import Organisation

    counties, townships = _counties_and_townships(SCALES[scale])
    marker = "（合成）"
    if Organisation.objects.filter(name__endswith=marker).exists():
        stdout.write("foundation synthetic data already present; kept\n")
        return {"organisations": Organisation.objects.filter(name__endswith=marker).count()}
    started = time.perf_counter()
    orgs: list[Organisation] = []
    # The leading units above the counties (nation, provinces, cities): few, always all of them,
    # so that directives can go down and reports up through every level.
    from shegong.regions.models import Level, Region

    upper = Region.objects.filter(level__lte=Level.PREFECTURE).order_by("code")
    for code, name in upper.values_list("code", "name"):
        orgs.append(
            Organisation(name=f"{name}委社会工作部{marker}", kind="sw_department", region_id=code)
        )
    for code, name in counties:
        orgs.append(
            Organisation(name=f"{name}委社会工作部{marker}", kind="sw_department", region_id=code)
        )
        for sector in GOV_SECTORS:
            orgs.append(
                Organisation(
                    name=f"{name}{sector}局{marker}",
                    kind="gov_department",
                    sector=sector,
                    region_id=code,
                )
            )
    for code, name in townships:
        orgs.append(
            Organisation(
                name=f"{name}社工站{marker}",
                kind="sw_station",
                region_id=code,
                services="困难群众帮扶\n长者关爱探访\n儿童关爱服务",
                opening_hours="周一至周五 9:00–17:30",
            )
        )
        orgs.append(
            Organisation(
                name=f"{name}党群服务中心{marker}",
                kind="party_mass_centre",
                region_id=code,
                services="党员活动\n政务服务\n志愿服务",
            )
        )
    with transaction.atomic():
        Organisation.objects.bulk_create(orgs, batch_size=5000)
    stdout.write(f"organisations: {len(orgs)} in {time.perf_counter() - started:.1f}s\n")

    started = time.perf_counter()
    password = make_password("Synthetic@2026")
    staff_orgs = list(
        Organisation.objects.filter(name__endswith=marker, kind__in=["sw_department", "sw_station"])
        .order_by("id")
        .values_list("id", "kind")
    )
    users = [
        User(username=f"synth{org_id}", full_name=f"合成用户{org_id}", password=password)
        for org_id, _ in staff_orgs
    ]
    with transaction.atomic():
        User.objects.bulk_create(users, batch_size=5000)
        ids = dict(User.objects.filter(username__startswith="synth").values_list("username", "id"))
        Membership.objects.bulk_create(
            [
                Membership(
                    user_id=ids[f"synth{org_id}"],
                    organisation_id=org_id,
                    role="dept_staff" if kind == "sw_department" else "station_worker",
                )
                for org_id, kind in staff_orgs
            ],
            batch_size=5000,
        )
    stdout.write(f"users and memberships: {len(users)} in {time.perf_counter() - started:.1f}s\n")
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            # As autovacuum would on a live system: without statistics the planner takes the
            # 41,000 stations for one row (a nested loop over regions in the roll-ups).
            for table in ("orgs_organisation", "accounts_user", "accounts_membership"):
                cur.execute(f"ANALYZE {table}")
    return {"organisations": len(orgs), "users": len(users)}


def domain_generators():
    import bench

    for info in pkgutil.iter_modules(bench.__path__):
        if info.name.startswith("synth_"):
            yield info.name.removeprefix("synth_"), importlib.import_module(f"bench.{info.name}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", choices=sorted(SCALES), default="national")
    parser.add_argument("--only", nargs="*", help="foundation and/or domain names")
    args = parser.parse_args(argv)
    setup_django()
    from django.core.management import call_command

    from shegong.regions.models import Region

    if Region.objects.filter(level=5).count() < 600_000:
        call_command("regions", "load", "--all")
    if not args.only or "foundation" in args.only:
        generate_foundation(scale=args.scale, stdout=sys.stdout)
    for name, module in domain_generators():
        if args.only and name not in args.only:
            continue
        sys.stdout.write(f"== {name}\n")
        module.generate(scale=args.scale, stdout=sys.stdout)


if __name__ == "__main__":
    main()
