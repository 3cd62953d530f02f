"""Workforce benchmarks: the county workforce list (first page and its count), the lapse-risk
list (registrations ending within the warning window short of their hours, read from the hours
ledger) and the exam pipeline of a county, as a county department's user sees them.

    DATABASE_URL=... .venv/bin/python -m bench.bench_workforce [--generate --scale small]

Run on a database holding the foundation (bench/synth.py) and bench/synth_workforce.py's rows.
Prints the timings (median and p95 of 15 runs after 2 warm-ups), the load average and the
plans; docs/performance/workforce.md records them by hand.
"""

from __future__ import annotations

import argparse
import json
import os
import sys


def _county_user():
    from django.db.models import Count
    from django.db.models.functions import Substr

    from shegong.accounts.models import Membership
    from shegong.workforce.models import WorkerProfile

    by_county = (
        WorkerProfile.objects.unscoped(reason="The benchmark picks the busiest county.")
        .annotate(county=Substr("region_code", 1, 6))
        .values("county")
        .annotate(n=Count("id"))
        .order_by("-n")
    )
    departments = Membership.objects.unscoped(reason="The benchmark signs in as county staff.")
    for row in by_county:
        county = row["county"] + "000000"
        membership = (
            departments.filter(organisation__region_id=county, organisation__kind="sw_department")
            .select_related("organisation__region", "user")
            .first()
        )
        if membership is not None:
            break
    user = membership.user
    user.active_membership = membership
    return user, county


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--generate", action="store_true")
    parser.add_argument("--scale", default="small")
    args = parser.parse_args(argv)
    from bench.synth import setup_django

    setup_django()
    from django.db import connection

    from bench.timing import explain, machine, measure
    from shegong.workforce import selectors

    if args.generate:
        from bench.synth_workforce import generate

        generate(scale=args.scale, stdout=sys.stdout)
    user, county = _county_user()
    in_county = selectors.worker_list(fetched_by=user).count()

    def county_list():
        qs = selectors.worker_list(fetched_by=user)
        return list(qs[:25]), qs.count()

    def at_risk():
        qs = selectors.registrations_at_risk(fetched_by=user)
        return list(qs[:25]), qs.count()

    def pipeline():
        return selectors.exam_pipeline(fetched_by=user)

    out = {
        "database": connection.vendor,
        "machine": machine(),
        "load_average_before": os.getloadavg(),
        "county": county,
        "workers_in_county": in_county,
        "rows": {
            t: connection.cursor().execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]  # noqa: S608
            for t in ("workforce_workerprofile", "workforce_registration", "workforce_hourscredit")
        }
        if connection.vendor == "sqlite"
        else {},
        "county_list": measure(county_list),
        "at_risk_list": measure(at_risk),
        "pipeline": measure(pipeline, runs=5, warmup=1),
        "at_risk_rows": at_risk()[1],
        "load_average_after": os.getloadavg(),
    }
    if connection.vendor != "sqlite":
        with connection.cursor() as cursor:
            for t in ("workforce_workerprofile", "workforce_registration", "workforce_hourscredit"):
                cursor.execute(f"SELECT COUNT(*) FROM {t}")  # noqa: S608
                out["rows"][t] = cursor.fetchone()[0]
    print(json.dumps(out, ensure_ascii=False, indent=1, default=str))
    q1 = selectors.worker_list(fetched_by=user)[:25].query
    q2 = selectors.registrations_at_risk(fetched_by=user)[:25].query
    for name, q in (("county list", q1), ("at-risk list", q2)):
        sql, params = q.sql_with_params()
        print(f"\n-- plan: {name}\n{explain(sql, params)}")


if __name__ == "__main__":
    main()
