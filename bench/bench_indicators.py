"""Indicators (issue 15): the refresh of every shipped indicator for every county and the
twelve last complete months (rolled up to cities, provinces and the nation), the night job's
refresh (the last complete month, quarter, year and rolling year), and the pages that read the
cached values, on one national data set: every region, the foundation's departments and
stations, 5,000,000 residents with their visit plans, visits and cases, 2,000,000 matters,
1,000,000 volunteers with 10,000,000 service records, 1,000,000 ledger entries and 1,000,000
worker profiles with 10,000,000 hour records.

    .venv/bin/python -m bench.bench_indicators --db postgres|sqlite --generate   # data, once
    .venv/bin/python -m bench.bench_indicators --db postgres|sqlite
    (--scale small: about 2 % of that, the size of an embedded SQLite deployment)

Results are merged into bench/results/indicators.json and docs/performance/indicators.md is
rewritten from every recorded database, with the load average at the time of each run.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
RESULTS = REPO / "bench" / "results" / "indicators.json"
REPORT = REPO / "docs" / "performance" / "indicators.md"
URLS = {
    "sqlite": f"sqlite:///{REPO / 'var' / 'bench_indicators.sqlite3'}",
    "postgres": "postgres://postgres@127.0.0.1:5432/shegong_bench_indicators",
}
# Each domain's generator at the scale of its own benchmark ("national"), or at about 2 % of it
# ("small": a fiftieth of the counties, the embedded SQLite default's size of deployment).
DOMAINS = {
    "national": [
        ("people", "5m"),
        ("petitions", "national"),
        ("volunteers", "national"),
        ("funds", "full"),
        ("workforce", "national"),
    ],
    "small": [
        ("people", "100k"),
        ("petitions", "small"),
        ("volunteers", "small"),
        ("funds", "small"),
        ("workforce", "small"),
    ],
}


def url_of(db: str, scale: str) -> str:
    if scale == "national":
        return URLS[db]
    if db == "sqlite":
        return f"sqlite:///{REPO / 'var' / f'bench_indicators_{scale}.sqlite3'}"
    return f"{URLS[db]}_{scale}"


def generate(scale: str = "national") -> None:
    import importlib

    from django.core.management import call_command

    from bench.synth import generate_foundation
    from shegong.regions.models import Region

    if Region.objects.filter(level=5).count() < 600_000:
        call_command("regions", "load", "--all")
    generate_foundation(scale=scale, stdout=sys.stdout)
    for name, size in DOMAINS[scale]:
        sys.stdout.write(f"== {name} {size}\n")
        importlib.import_module(f"bench.synth_{name}").generate(scale=size, stdout=sys.stdout)


def _sizes() -> dict[str, int]:
    from django.db import connection

    tables = {
        "residents": "people_resident",
        "visits": "people_visit",
        "matters": "petitions_matter",
        "service records": "volunteers_servicerecord",
        "ledger lines": "funds_journalline",
        "worker profiles": "workforce_workerprofile",
    }
    sizes = {}
    with connection.cursor() as cursor:
        for label, table in tables.items():
            try:
                cursor.execute(f"SELECT COUNT(*) FROM {table}")  # noqa: S608 - fixed names
                sizes[label] = cursor.fetchone()[0]
            except Exception:  # noqa: BLE001 - a table another branch renamed: say so, go on
                connection.rollback() if connection.vendor == "postgresql" else None
                sizes[label] = -1
    return sizes


def _pages(user) -> list[tuple[str, str]]:
    from django.urls import NoReverseMatch, reverse

    pages = [
        ("indicator list (cached values of the reader's region)", reverse("indicators:list")),
        ("pivot: indicators × child regions, last month", reverse("indicators:pivot")),
        (
            "indicator page: visit rate, children and 12 months",
            reverse("indicators:detail", args=["elderly_visit_rate"]),
        ),
    ]
    try:
        pages.insert(0, ("dashboard (cards, map, series)", reverse("indicators:dashboard")))
    except NoReverseMatch:
        pass
    return pages


def run(*, previous: dict | None = None) -> dict:
    from django.conf import settings
    from django.utils import timezone

    from bench.bench_careers import _reader
    from bench.bench_people import client_for
    from bench.timing import QueryCount, machine, measure
    from shegong.indicators.models import Indicator, IndicatorValue
    from shegong.indicators.services import values_refresh
    from shegong.indicators.tasks import night_periods

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]  # the test client's host
    load_before = os.getloadavg()
    sizes = _sizes()
    today = timezone.localdate()
    indicators = [i for i in Indicator.objects.filter(is_active=True, is_shipped=True)]

    started = time.perf_counter()
    per_period = []
    written = 0
    memo: dict = {}  # as indicators.tasks.night_refresh shares it between the periods
    for period in night_periods(today) if previous is None else []:
        t = time.perf_counter()
        count = values_refresh(period=period, memo=memo)
        per_period.append(
            {"period": period.text, "seconds": round(time.perf_counter() - t, 2), "values": count}
        )
        written += count
    night_seconds = round(time.perf_counter() - started, 1)
    night = {"seconds": night_seconds, "values": written, "per_period": per_period}
    if previous is not None:  # pages only: the refresh measured by the previous run
        night = previous["night"]

    counties = (
        IndicatorValue.objects.unscoped(reason=BENCH)
        .filter(period_type="month", period_start=night_periods(today)[0].start)
        .values("region_code")
        .distinct()
        .count()
    )

    pages = []
    for level, code in [
        ("national", "000000000000"),
        ("province 广东", "440000000000"),
        ("county 天河区", "440106000000"),
    ]:
        user = _reader(code)
        client = client_for(user)
        for label, url in _pages(user):
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            with QueryCount() as queries:
                client.get(url)
            pages.append(
                {
                    "level": level,
                    "page": label,
                    "url": url,
                    **measure(lambda url=url, client=client: client.get(url), runs=9, warmup=1),
                    "queries": queries.n,
                }
            )
    return {
        "machine": machine(),
        "load_average": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
        "sizes": sizes,
        "indicators": len(indicators),
        "night": night,
        "regions_with_values": counties,
        "pages": pages,
    }


BENCH = "The benchmark counts the cached values of every region to report their number."


def report(results: dict) -> None:
    lines = [
        "# Performance: indicators (指标)",
        "",
        "Measured by `.venv/bin/python -m bench.bench_indicators --db <db>` on one national data",
        "set (`--generate`): every region; the foundation's departments, stations and centres;",
        "5,000,000 residents with visit plans, visits and cases; 2,000,000 matters; 1,000,000",
        "volunteers with 10,000,000 service records; 1,000,000 journal entries; 1,000,000 worker",
        "profiles with 10,000,000 hour records. *Night refresh* is what `indicators_refresh_task`",
        "does at 02:40 (`indicators.tasks.night_periods`): every active indicator for every county",
        "and each of the last twelve complete months, four quarters, the last year and the rolling",
        "year, rolled up to cities, provinces and the nation (one GROUP BY per source and period",
        "over all counties, shared by the indicators that use it — a source with no history, such",
        "as stations staffed, once for the run —, the roll-up summed in memory, a row for every",
        "region down to the counties, the period's rows replaced with one bulk insert). Pages are",
        "timed in-process through Django's test client",
        "(middleware, scoping, rendering), reading the cached values; median and p95 of 9 runs",
        "after a warm-up. Targets (issue 15, Done-when 6, PostgreSQL): the refresh of all counties",
        "× 12 months under 5 minutes; a dashboard page under 300 ms from the cache.",
        "",
    ]
    for _db, result in sorted(results.items()):
        m = result["machine"]
        sizes = ", ".join(f"{k} {v:,}" for k, v in result["sizes"].items())
        lines += [
            f"## {m['database']} · scale {result.get('scale', 'national')}",
            "",
            f"{m['date']}, {m['cpus']} CPUs, Python {m['python']}, load average "
            f"{' / '.join(str(x) for x in result['load_average'])} before, "
            f"{' / '.join(str(x) for x in result['load_average_after'])} after (1 / 5 / 15 min). "
            f"Rows: {sizes}.",
            "",
            f"- Night refresh, {result['indicators']} shipped indicators × every county × "
            f"{len(result['night']['per_period'])} periods: **{result['night']['seconds']:,} s**, "
            f"{result['night']['values']:,} values written ({result['regions_with_values']:,} "
            "regions with a value in the last month).",
            "",
            "| period | seconds | values |",
            "|---|---:|---:|",
        ]
        lines += [
            f"| {p['period']} | {p['seconds']} | {p['values']:,} |"
            for p in result["night"]["per_period"]
        ]
        lines += [
            "",
            "| reader | page | median (ms) | p95 (ms) | queries |",
            "|---|---|---:|---:|---:|",
        ]
        lines += [
            f"| {p['level']} | {p['page']} | {p['median_ms']:,} | {p['p95_ms']:,} | {p['queries']} |"
            for p in result["pages"]
        ]
        lines.append("")
    REPORT.write_text("\n".join(lines), encoding="utf-8")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", choices=sorted(URLS), required=True)
    parser.add_argument("--scale", choices=sorted(DOMAINS), default="national")
    parser.add_argument("--generate", action="store_true", help="build the national data set")
    parser.add_argument(
        "--pages-only", action="store_true", help="time the pages; keep the recorded refresh"
    )
    args = parser.parse_args(argv)
    os.environ["DATABASE_URL"] = url_of(args.db, args.scale)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shegong.settings.local")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    if args.generate:
        generate(args.scale)
        return
    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    key = args.db if args.scale == "national" else f"{args.db}-{args.scale}"
    result = run(previous=results.get(key) if args.pages_only else None)
    result["scale"] = args.scale
    results[key] = result
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(results, ensure_ascii=False, indent=2))
    report(results)
    print(json.dumps({k: v for k, v in result.items() if k != "pages"}, ensure_ascii=False))
    for p in result["pages"]:
        print(p)


if __name__ == "__main__":
    main()
