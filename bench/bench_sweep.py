"""Benchmark an emergency sweep over a whole city at the people bench's scale: every target
group in one city (the city with the most residents), as the city's department.

    .venv/bin/python -m bench.bench_sweep --db sqlite --scale 100k
    .venv/bin/python -m bench.bench_sweep --db postgres --scale 5m

Uses the people bench's data (bench/synth_people.py, generated when missing). Times: declaring
(the set-based INSERT … SELECT of every task, the station assignment), the board page (a full
request through Django, htmx body and full page) and the worker's list. Everything the run
writes is rolled back (one transaction), so the bench database is left as it was.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time

from bench.bench_people import client_for, configure, prepare


class Rollback(Exception):
    pass


def _timed(fn, runs: int) -> dict:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return {"median_ms": round(statistics.median(times), 1), "max_ms": round(max(times), 1)}


def run(*, runs: int) -> dict:
    from django.db import transaction
    from django.db.models import Count
    from django.db.models.functions import Substr
    from django.utils import timezone

    from bench.synth_people import bench_users
    from shegong.accounts.models import Membership
    from shegong.emergency import services
    from shegong.orgs.models import Organisation
    from shegong.people.models import Category, ResidentCategory
    from shegong.regions.models import Region

    bench_users()
    city = (
        ResidentCategory.objects.unscoped(reason="bench")
        .annotate(city=Substr("region_code", 1, 4))
        .values("city")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()["city"]
    )
    region = Region.objects.get(code=city.ljust(12, "0"))
    result: dict = {"city": f"{region.name} ({city})"}
    try:
        with transaction.atomic():
            org = Organisation.objects.create(
                name="bench 市委社会工作部", kind="sw_department", region_id=region.code
            )
            from shegong.accounts.models import User

            user = User.objects.create(username="bench_city_sweep", full_name="bench")
            user.active_membership = Membership.objects.create(
                user=user, organisation=org, role="dept_staff"
            )
            groups = list(Category.objects.all())
            start = time.perf_counter()
            event = services.event_declare(
                acting_user=user,
                kind="typhoon",
                title="bench city sweep",
                areas=[region],
                categories=groups,
                starts_at=timezone.now(),
            )
            result["declare_ms"] = round((time.perf_counter() - start) * 1000, 1)
            result["tasks"] = event.task_count
            services.event_start(event=event, acting_user=user)
            client = client_for(user)
            url = f"/emergency/{event.pk}/"
            result["board_page"] = _timed(lambda: client.get(url), runs)
            result["board_htmx"] = _timed(
                lambda: client.get(url, headers={"HX-Request": "1"}), runs
            )
            result["board_page_3"] = _timed(lambda: client.get(url + "?page=3"), runs)
            raise Rollback
    except Rollback:
        pass
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--scale", default="100k")
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    configure(args.db, args.scale)
    prepare(args.scale, regenerate=False)
    result = {"db": args.db, "scale": args.scale, **run(runs=args.runs)}
    print(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
