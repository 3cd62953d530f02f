"""Party organisation coverage (issue 17): the coverage roll-up of the country, a province, a
county and a township, on the national data set of the careers benchmark (every region, the
foundation's 109,851 organisations, 1,000,000 worker profiles) plus synthetic party
organisations: two in three stations and social work organisations with a branch of their
own, and one joint branch for every ten of the others covering two of them.

    .venv/bin/python -m bench.bench_party --db sqlite|postgres

Run `python -m bench.bench_careers --db … --generate` first. Results are merged into
bench/results/party.json and docs/performance/party.md is rewritten from every recorded
database, with the load average at the time of each run.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

from bench.bench_careers import URLS, _reader

REPO = Path(__file__).resolve().parent.parent
RESULTS = REPO / "bench" / "results" / "party.json"
REPORT = REPO / "docs" / "performance" / "party.md"


def generate() -> dict[str, int]:
    """Set-based: one INSERT … SELECT per table, deterministic on the organisations' ids."""
    from django.db import connection, transaction

    from shegong.party.models import PartyCoverage, PartyOrganisation

    if PartyOrganisation.objects.unscoped(reason="benchmark size").exists():
        return {"party": PartyOrganisation.objects.unscoped(reason="benchmark size").count()}
    now = "now()" if connection.vendor == "postgresql" else "datetime('now')"
    kinds = "('sw_station', 'sw_organisation', 'social_organisation')"
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO party_partyorganisation (created_at, updated_at, name, kind, is_joint, "  # noqa: S608
            "host_id, region_code, established_on, secretary, members_count) "
            f"SELECT {now}, {now}, name || '党支部', 'branch', FALSE, id, region_id, "
            "'2022-07-01', '书记', 3 + id % 20 FROM orgs_organisation "
            f"WHERE is_active AND kind IN {kinds} AND id % 3 <> 0"
        )
        cursor.execute(
            "INSERT INTO party_partyorganisation (created_at, updated_at, name, kind, is_joint, "  # noqa: S608
            "host_id, region_code, established_on, secretary, members_count) "
            f"SELECT {now}, {now}, name || '联合党支部', 'branch', TRUE, id, region_id, "
            "'2023-03-01', '书记', 5 FROM orgs_organisation "
            f"WHERE is_active AND kind IN {kinds} AND id % 30 = 0"
        )
        # Each joint branch covers the next two organisations without one (ids +3 and +6).
        cursor.execute(
            "INSERT INTO party_partycoverage (party_organisation_id, organisation_id, region_code) "  # noqa: S608
            "SELECT p.id, o.id, o.region_id FROM party_partyorganisation p "
            "JOIN orgs_organisation o ON o.id IN (p.host_id + 3, p.host_id + 6) "
            f"WHERE p.is_joint AND o.is_active AND o.kind IN {kinds}"
        )
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE party_partyorganisation")
            cursor.execute("ANALYZE party_partycoverage")
        else:
            cursor.execute("ANALYZE")
    return {
        "party": PartyOrganisation.objects.unscoped(reason="benchmark size").count(),
        "coverage": PartyCoverage.objects.unscoped(reason="benchmark size").count(),
    }


def run() -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from bench.timing import machine, measure
    from shegong.party.selectors import coverage_rollup

    started = time.perf_counter()
    made = generate()
    made["seconds"] = round(time.perf_counter() - started, 1)
    levels = [
        ("national (31 provinces)", "000000000000"),
        ("province 广东 (21 cities)", "440000000000"),
        ("county 天河区 (townships)", "440106000000"),
        ("township 五山街道 (organisations)", "440106001000"),
    ]
    figures = []
    load_before = os.getloadavg()
    for label, code in levels:
        user = _reader(code)

        def fn(user=user):
            return coverage_rollup(fetched_by=user)

        with CaptureQueriesContext(connection) as queries:
            rollup = fn()
        figures.append(
            {
                "level": label,
                **measure(fn, runs=5, warmup=1),
                "queries": len(queries),
                "rows": len(rollup.rows),
                "organisations": rollup.total.organisations,
                "covered": rollup.total.covered,
                "party_workers": rollup.total.party_workers,
            }
        )
    return {
        "machine": machine(),
        "load_average": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
        "made": made,
        "figures": figures,
    }


def report(results: dict) -> None:
    lines = [
        "# Performance: party organisation coverage (党组织覆盖)",
        "",
        "Measured by `.venv/bin/python -m bench.bench_party --db <db>` on the careers benchmark's",
        "national data set (every region; the foundation's 109,851 organisations; 1,000,000 worker",
        "profiles, 1 in 7 a party member) with synthetic party organisations: two in three",
        "stations, social work organisations and other social organisations with a branch of",
        "their own, and for every thirtieth a joint branch covering two more (41,351 of the",
        "organisations are of the kinds counted). The roll-up is counted live: one GROUP BY per",
        "figure family — all organisations, those with their own party organisation and those a",
        "joint one covers (each a hashed semi-join in WHERE), teams, party organisations,",
        "party-member workers in post (COUNT(*) on the partial index `worker_party_in_post`) and",
        "volunteers. Median and p95 of 5 runs after a warm-up; 2 cores; the load average is",
        "given with each run (the test suites of other work were running at the time).",
        "",
    ]
    for _db, result in sorted(results.items()):
        m = result["machine"]
        made = result["made"]
        lines += [
            f"## {m['database']}",
            "",
            f"{m['date']}, {m['cpus']} CPUs, Python {m['python']}, load average "
            f"{' / '.join(str(x) for x in result['load_average'])} before, "
            f"{' / '.join(str(x) for x in result['load_average_after'])} after (1 / 5 / 15 min). "
            f"Party organisations: {made.get('party', 0):,}"
            + (f", covered by joint ones: {made['coverage']:,}" if "coverage" in made else "")
            + ".",
            "",
            "| roll-up | median (ms) | p95 (ms) | queries | rows | organisations | covered "
            "| party-member workers |",
            "|---|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for f in result["figures"]:
            lines.append(
                f"| {f['level']} | {f['median_ms']:,} | {f['p95_ms']:,} | {f['queries']} | "
                f"{f['rows']} | {f['organisations']:,} | {f['covered']:,} | "
                f"{f['party_workers']:,} |"
            )
        lines.append("")
    REPORT.write_text("\n".join(lines), encoding="utf-8")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", choices=sorted(URLS), required=True)
    args = parser.parse_args(argv)
    os.environ["DATABASE_URL"] = URLS[args.db]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shegong.settings.local")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    result = run()
    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    results[args.db] = result
    RESULTS.write_text(json.dumps(results, ensure_ascii=False, indent=2))
    report(results)
    for f in result["figures"]:
        print(f)


if __name__ == "__main__":
    main()
