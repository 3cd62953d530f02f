"""Careers benchmark: the staffing and retention roll-up (national → province → county →
township) at 1,000,000 worker profiles.

    .venv/bin/python -m bench.bench_careers --db sqlite|postgres [--generate] [--scale national]

`--db` picks the benchmark database (SQLite file var/bench_careers.sqlite3 or PostgreSQL database
shegong_bench_careers). `--generate` migrates it, loads every region, creates the foundation's
organisations (bench/synth.py) and the worker profiles (bench/synth_careers.py). Results are
merged into bench/results/careers.json and docs/performance/careers.md is rewritten from every
recorded database, with the load average at the time of each run.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
RESULTS = REPO / "bench" / "results" / "careers.json"
REPORT = REPO / "docs" / "performance" / "careers.md"
URLS = {
    "sqlite": f"sqlite:///{REPO / 'var' / 'bench_careers.sqlite3'}",
    "postgres": "postgres://postgres@127.0.0.1:5432/shegong_bench_careers",
}


def _prepare(db: str, scale: str) -> None:
    from django.core.management import call_command

    from bench import synth, synth_careers, synth_workforce
    from shegong.regions.models import Region

    call_command("migrate", verbosity=0)
    if Region.objects.filter(level=5).count() < 600_000:
        call_command("regions", "load", "--all")
    synth.generate_foundation(scale="national", stdout=sys.stdout)
    # One national data set for the workforce and careers benchmarks: the workforce's profiles,
    # certificates, registrations and hours, then careers' dates, leavers and pay on them.
    if scale in synth_workforce.COUNTS:
        synth_workforce.generate(scale=scale, stdout=sys.stdout)
    synth_careers.generate(scale=scale, stdout=sys.stdout)


def _reader(region_code: str, role: str = "dept_leader"):
    """A department user whose jurisdiction is `region_code` (made if the synth has none)."""
    from shegong.accounts.models import Membership, User
    from shegong.orgs.models import Organisation

    membership = (
        Membership.objects.filter(organisation__region_id=region_code, role=role)
        .select_related("organisation__region", "user")
        .first()
    )
    if membership is None:
        org = Organisation.objects.create(
            name=f"{region_code}社会工作部（基准）", kind="sw_department", region_id=region_code
        )
        user = User.objects.create(username=f"bench_{role}_{region_code}")
        membership = Membership.objects.create(user=user, organisation=org, role=role)
        membership = Membership.objects.select_related("organisation__region", "user").get(
            pk=membership.pk
        )
    user = membership.user
    user.active_membership = membership
    return user


def run(db: str) -> dict:
    from django.db import connection, reset_queries, transaction
    from django.test.utils import CaptureQueriesContext

    from bench.timing import machine, measure
    from shegong.careers.models import StaffingTally
    from shegong.careers.selectors import staffing_rollup
    from shegong.careers.services import staffing_tally_refresh
    from shegong.workforce.models import WorkerProfile

    workers = WorkerProfile.objects.unscoped(reason="benchmark size").count()
    started = time.perf_counter()
    tally_rows = staffing_tally_refresh()
    refresh = {"seconds": round(time.perf_counter() - started, 1), "rows": tally_rows}
    levels = [
        ("national (31 provinces)", "000000000000", True),
        ("national, counted live (no summary)", "000000000000", False),
        ("province 广东 (21 cities)", "440000000000", True),
        ("city 广州市 (11 counties)", "440100000000", True),
        ("county 天河区 (townships, live)", "440106000000", True),
        ("township 五山街道 (organisations, live)", "440106001000", True),
    ]
    figures = []
    for label, code, summary in levels:
        user = _reader(code)

        def fn(user=user):
            return staffing_rollup(fetched_by=user, year=2026)

        with transaction.atomic():
            if not summary:
                StaffingTally.objects.unscoped(reason="benchmark: the live count").delete()
            with CaptureQueriesContext(connection) as queries:
                rollup = fn()
            timing = measure(fn, runs=5 if summary else 2, warmup=1 if summary else 0)
            transaction.set_rollback(True)
        figures.append(
            {
                "level": label,
                **timing,
                "queries": len(queries),
                "rows": len(rollup.rows),
                "in_post": rollup.total.in_post,
                "leavers": rollup.total.leavers,
                "summary": rollup.as_of is not None,
            }
        )
        reset_queries()
    plan = ""
    if connection.vendor == "postgresql":
        user = _reader("000000000000")
        with CaptureQueriesContext(connection) as queries:
            staffing_rollup(fetched_by=user, year=2026)
        main = max(queries.captured_queries, key=lambda q: len(q["sql"]))["sql"]
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS OFF, TIMING OFF) " + main)
            plan = "\n".join(row[0] for row in cursor.fetchall())
    load = os.getloadavg()
    return {
        "machine": machine(),
        "load_average": [round(x, 2) for x in load],
        "workers": workers,
        "refresh": refresh,
        "figures": figures,
        "plan": plan,
    }


def report(results: dict) -> None:
    lines = [
        "# Performance: careers — staffing and retention roll-up",
        "",
        "Measured by `.venv/bin/python -m bench.bench_careers --db <db> --generate` on the",
        "foundation's organisations of every region (bench/synth.py), the workforce's 1,000,000",
        "profiles, 600,000 certificates and registrations and 10,000,000 hour records",
        "(bench/synth_workforce.py) and careers' start dates, leavers (5 %) and a 2026 pay row",
        "for every fourth worker in post (bench/synth_careers.py). Median and p95 of 5 runs after",
        "a warm-up (the live national count: 2 runs); the machine has 2 cores, so the load",
        "average at the time is given with each run.",
        "",
        "The country's, a province's and a city's roll-ups read the workforce summary rows",
        "(`careers.StaffingTally`, one row per region and year down to the county, refreshed",
        "nightly at 00:40 by `careers.tasks.staffing_tally_task` or `shegong careers_tally`; the",
        "page shows when they were counted); a county's and a township's are counted live.",
        '"Counted live" is the national roll-up with no summary rows, as before the summary.',
        "",
    ]
    for _db, result in sorted(results.items()):
        m = result["machine"]
        lines += [
            f"## {m['database']} — {result['workers']:,} worker profiles",
            "",
            f"{m['date']}, {m['cpus']} CPUs, Python {m['python']}, load average "
            f"{' / '.join(str(x) for x in result['load_average'])} (1 / 5 / 15 min).",
            "",
            f"Nightly refresh of the summary: {result['refresh']['seconds']:,} s, "
            f"{result['refresh']['rows']:,} rows.",
            "",
            "| roll-up | median (ms) | p95 (ms) | queries | rows | in post | leavers 2026 |",
            "|---|---:|---:|---:|---:|---:|---:|",
        ]
        for f in result["figures"]:
            lines.append(
                f"| {f['level']} | {f['median_ms']:,} | {f['p95_ms']:,} | {f['queries']} | "
                f"{f['rows']} | {f['in_post']:,} | {f['leavers']:,} |"
            )
        if result.get("plan"):
            lines += ["", "Plan of the main query (national):", "", "```", result["plan"], "```"]
        lines.append("")
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text("\n".join(lines), encoding="utf-8")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", choices=sorted(URLS), required=True)
    parser.add_argument("--scale", default="national")
    parser.add_argument("--generate", action="store_true")
    args = parser.parse_args(argv)
    os.environ["DATABASE_URL"] = URLS[args.db]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shegong.settings.local")
    import django

    django.setup()
    if args.generate:
        _prepare(args.db, args.scale)
    else:
        from bench.synth_careers import analyse

        analyse()
    result = run(args.db)
    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    results[args.db] = result
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, ensure_ascii=False, indent=2))
    report(results)
    for f in result["figures"]:
        print(f)


if __name__ == "__main__":
    main()
