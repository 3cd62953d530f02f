"""Funds benchmarks: allocation solve times, an account's balance, the execution report.

    DATABASE_URL=... .venv/bin/python -m bench.bench_funds --db sqlite|postgres --scale full

`--db` picks the benchmark database (SQLite file var/bench_funds.sqlite3 or PostgreSQL database
shegong_bench_funds, migrated, with all regions loaded). `--generate` first runs
`bench.synth_funds.generate` at `--scale`. Results are merged into `bench/results/funds.json`
and `docs/performance/funds.md` is rewritten from all recorded databases.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
RESULTS = REPO / "bench" / "results" / "funds.json"
REPORT = REPO / "docs" / "performance" / "funds.md"
URLS = {
    "sqlite": f"sqlite:///{REPO / 'var' / 'bench_funds.sqlite3'}",
    "postgres": "postgres://postgres@127.0.0.1:5432/shegong_bench_funds",
}


def timed(fn, runs: int) -> dict:
    samples = []
    result = None
    for _ in range(runs):
        started = time.perf_counter()
        result = fn()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    p95 = samples[min(len(samples) - 1, int(round(0.95 * (len(samples) - 1))))]
    return {
        "median_ms": round(statistics.median(samples), 2),
        "p95_ms": round(p95, 2),
        "runs": runs,
        "_result": result,
    }


def raw_sql_time(sqls: list[str], runs: int) -> dict:
    from django.db import connection

    def run():
        with connection.cursor() as cur:
            for sql in sqls:
                cur.execute(sql)
                cur.fetchall()

    out = timed(run, runs)
    out.pop("_result")
    return out


def explain(sql: str) -> str:
    from django.db import connection

    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute("EXPLAIN " + sql)
        else:
            cur.execute("EXPLAIN QUERY PLAN " + sql)
        rows = cur.fetchall()
    text = "\n".join(str(r[-1]) for r in rows)
    return text


def index_usage(plan: str) -> str:
    names = sorted(
        {
            w.strip('"(),')
            for w in plan.replace("\n", " ").split()
            if w.startswith(("fund_", "funds_", '"fund_')) and ("idx" in w or "fund_" in w)
        }
    )
    seq = "Seq Scan" in plan or "SCAN funds_" in plan.replace("SCAN funds_journalline USING", "")
    return (", ".join(names) or "—") + ("；含顺序扫描" if seq else "")


def captured(fn) -> list[str]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        fn()
    return [q["sql"] for q in ctx.captured_queries]


def bench_user(region_code: str):
    from shegong.accounts.models import Membership, Role, User
    from shegong.orgs.models import Kind, Organisation

    org = (
        Organisation.objects.filter(region_id=region_code, kind=Kind.SOCIAL_WORK_DEPARTMENT)
        .order_by("id")
        .first()
    )
    user, _ = User.objects.get_or_create(username=f"bench-{region_code}")
    membership, _ = Membership.objects.get_or_create(
        user=user, organisation=org, role=Role.DEPT_LEADER
    )
    user.active_membership = membership
    return user


def synthetic_units(codes: list[str], seed: int):
    from shegong.funds import optimiser

    r = random.Random(seed)
    values = [
        {
            k: r.randint(0, 5000)
            for k in ("residents", "low_income", "open_cases", "stations", "shortfall")
        }
        for _ in codes
    ]
    needs = optimiser.need_indices(
        values, {"residents": 2, "low_income": 3, "open_cases": 1, "stations": 1, "shortfall": 2}
    )
    return [
        optimiser.Unit(
            key=c, name=c, need=n, floor=200_000_00, cap=int(n * 10**12 * 1.5) + 500_000_00
        )
        for c, n in zip(codes, needs, strict=True)
    ]


def run(db: str, runs: int) -> dict:
    from django.db import connection
    from django.db.models import Count, Sum

    from shegong.funds import optimiser, selectors, services
    from shegong.funds.models import Account, AccountKind, JournalEntry, JournalLine
    from shegong.regions.models import Region

    if connection.vendor == "sqlite":
        version = f"SQLite {connection.Database.sqlite_version}"
    else:
        version = f"PostgreSQL {connection.cursor().connection.info.server_version}"
    out: dict = {
        "database": version,
        "entries": JournalEntry.objects.count(),
        "lines": JournalLine.objects.count(),
        "operations": {},
    }
    ops = out["operations"]

    # ---- allocation solves ---------------------------------------------------------------
    counties = list(
        Region.objects.filter(level=3)
        .exclude(name__in=["市辖区", "县"])
        .values_list("code", flat=True)
    )
    gd_counties = [c for c in counties if c.startswith("44")]
    pot = 10**12  # ten billion yuan
    for label, codes in (
        ("全国约2,900个县级单位（5项指标）", counties),
        ("广东省全部县级单位（5项指标）", gd_counties),
    ):
        units = synthetic_units(codes, 1)
        res = timed(lambda units=units: optimiser.optimise(pot, units, 30), runs)
        outcome = res.pop("_result")
        bounds = optimiser.bounds_of(pot, units, 30)
        ok = (
            outcome.status == "optimal"
            and all(b.lo <= a <= b.hi for a, b in zip(outcome.amounts, bounds, strict=True))
            and sum(outcome.amounts) == pot
        )
        ops[f"优化求解：{label}"] = {**res, "units": len(units), "bounds_hold": ok}
        res = timed(
            lambda units=units: optimiser.optimise(
                5000,
                [optimiser.Unit(u.key, u.name, u.need, 0, None, 0) for u in units],
                100,
                integer=True,
            ),
            max(3, runs // 4),
        )
        res.pop("_result")
        ops[f"岗位整数规划：{label}（5,000个岗位）"] = {**res, "units": len(units)}
    central = bench_user("000000000000")
    res = timed(
        lambda: services.plan_create(
            acting_user=central, title="基准：中央对各省", period=2026, pot=pot, source="provincial"
        ),
        max(3, runs // 4),
    )
    plan = res.pop("_result")
    ops["中央对31个省级单位编制方案（含取指标、两种方法、写入）"] = {
        **res,
        "units": plan.recipients.count(),
    }

    # ---- balance of an account ----------------------------------------------------------
    busiest = (
        JournalLine.objects.values("account_id").annotate(n=Count("id")).order_by("-n").first()
    )
    account_id = busiest["account_id"] if busiest else Account.objects.first().pk
    res = timed(lambda: Account.objects.only("balance").get(pk=account_id).balance, runs)
    res.pop("_result")
    ops["账户余额（存储的滚动余额）"] = {**res, "lines_on_account": busiest["n"] if busiest else 0}
    sqls = captured(lambda: selectors.account_balance(account_id))
    res = timed(lambda: selectors.account_balance(account_id), runs)
    value = res.pop("_result")
    plan_text = explain(sqls[0])
    ops["账户余额（由分录汇总）"] = {
        **res,
        "raw_sql": raw_sql_time(sqls, runs),
        "explain": plan_text,
        "index": index_usage(plan_text),
        "lines_on_account": busiest["n"] if busiest else 0,
        "matches_stored": value == Account.objects.get(pk=account_id).balance,
    }

    # ---- execution report ------------------------------------------------------------------
    for label, code in (
        ("全国（中央用户）", "000000000000"),
        ("广东省（省级用户）", "440000000000"),
    ):
        user = bench_user(code)
        sqls = captured(lambda user=user: selectors.execution_report(fetched_by=user))
        res = timed(lambda user=user: selectors.execution_report(fetched_by=user), runs)
        rows = res.pop("_result")
        plans = [explain(s) for s in sqls if "funds_journalline" in s]
        ops[f"预算执行报表：{label}"] = {
            **res,
            "rows": len(rows),
            "raw_sql": raw_sql_time(sqls, runs),
            "explain": "\n---\n".join(plans),
            "index": "; ".join(index_usage(p) for p in plans),
            "disbursed_total_fen": sum(r.disbursed for r in rows),
        }
    # reconciliation: the report's disbursed total equals the ledger's disbursement debits
    ledger = (
        JournalLine.objects.filter(
            entry_kind="disbursement", debit__gt=0, account_kind=AccountKind.HOLDING
        ).aggregate(s=Sum("debit"))["s"]
        or 0
    )
    ops["预算执行报表：全国（中央用户）"]["reconciles_with_ledger"] = (
        ops["预算执行报表：全国（中央用户）"]["disbursed_total_fen"] == ledger
    )
    return out


def write_report(results: dict) -> None:
    lines = [
        "# Performance: funds and resources",
        "",
        "Measured by `.venv/bin/python -m bench.bench_funds --db sqlite|postgres --scale …` on "
        "a shared 2-core machine (other engineers' jobs running). Server time = the selector/"
        "service call in Python (median / p95 over N runs); raw SQL = the same queries executed "
        "directly in the same run. The synthetic ledger comes from `bench/synth_funds.py` "
        "(a department and provincial-source accounts for every province, city and county, "
        "appropriations, flows down the hierarchy and spending at the counties).",
        "",
    ]
    for _db, r in sorted(results.items()):
        lines += [
            f"## {r['database']}",
            "",
            f"Date {r['date']}, machine {r['machine']}, scale `{r['scale']}`: "
            f"{r['entries']:,} journal entries, {r['lines']:,} lines.",
            "",
            "| operation | median (ms) | p95 (ms) | runs | raw SQL median (ms) | index use | notes |",
            "|---|---:|---:|---:|---:|---|---|",
        ]
        for name, op in r["operations"].items():
            notes = []
            for key in (
                "units",
                "rows",
                "lines_on_account",
                "bounds_hold",
                "matches_stored",
                "reconciles_with_ledger",
            ):
                if key in op:
                    notes.append(f"{key}={op[key]}")
            raw = op.get("raw_sql", {}).get("median_ms", "")
            lines.append(
                f"| {name} | {op['median_ms']} | {op['p95_ms']} | {op['runs']} | "
                f"{raw} | {op.get('index', '')} | {', '.join(notes)} |"
            )
        lines.append("")
        for name, op in r["operations"].items():
            if op.get("explain"):
                lines += [
                    f"<details><summary>EXPLAIN · {name}</summary>",
                    "",
                    "```",
                    op["explain"],
                    "```",
                    "",
                    "</details>",
                    "",
                ]
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text("\n".join(lines) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=sorted(URLS), default="sqlite")
    parser.add_argument("--scale", default="full")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--generate", action="store_true")
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = URLS[args.db]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shegong.settings.local")
    import django

    django.setup()
    if args.generate:
        from bench import synth_funds

        synth_funds.generate(scale=args.scale, stdout=sys.stdout)
    result = run(args.db, args.runs)
    result.update(
        date=datetime.now(UTC).isoformat(timespec="seconds"),
        machine=f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        scale=args.scale,
    )
    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    results[args.db] = result
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, ensure_ascii=False, indent=2))
    write_report(results)
    for name, op in result["operations"].items():
        print(f"{name}: median {op['median_ms']} ms, p95 {op['p95_ms']} ms")


if __name__ == "__main__":
    main()
