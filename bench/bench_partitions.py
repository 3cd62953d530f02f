# ruff: noqa: S608 - SQL built from the benchmark database's own rows and catalogue
"""Partitioned against plain tables, the same queries interleaved on copies of one database.

    # a funds benchmark database (bench_funds --generate), migrated: its tables are partitioned
    createdb -T shegong_bench_funds bench_plain     # a copy, then back to plain tables:
    DATABASE_URL=.../bench_plain shegong migrate core 0006
    createdb -T shegong_bench_funds bench_monthly   # a copy whose old rows are split by month:
    .venv/bin/python -m bench.bench_partitions --split-months postgres://.../bench_monthly
    .venv/bin/python -m bench.bench_partitions --runs 30 \\
        plain=postgres://.../bench_plain partitioned=postgres://.../shegong_bench_funds \\
        monthly=postgres://.../bench_monthly

`--only 全国` times only the operations so named; `--extra NAME=FILE` also times saved read
statements (bench/sql/funds_national_report_three_scans.sql is the national report as the code
before its one-pass version sent it); `--parallel 0` turns parallel query off on every
connection (on this 2-core machine a Parallel Append over many partitions costs more than it
gains; see docs/performance.md "Partitioned tables").

The SQL is captured once from the services and selectors (through Django, on the first database):
an account's balance summed from its lines, the execution report (national and provincial),
and the writes that land in partitioned tables (two ledger lines, an audit row, a resident's
history row, each inserted and rolled back). Each run executes every query once on every
database in turn, so the machine's load (shared, busy) falls on all of them alike; the medians
and the query plans are printed as Markdown. Timings never enter the test suite.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time


def split_months(url: str) -> None:
    """Replace the ledger lines' first partition (all the rows from before the conversion) by
    monthly partitions holding the same rows: the layout a database has after months of use."""
    os.environ["DATABASE_URL"] = url
    import django

    django.setup()
    from django.db import connection, transaction
    from django.utils import timezone

    from shegong.core import partitioning

    spec = partitioning.spec_for("funds_journalline")
    first = next(
        p for p in partitioning.partitions(spec.table) if not p.default and p.lower is None
    )
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f'SELECT min(posted_at) FROM "{first.name}"')  # noqa: S608
        oldest = timezone.localdate(cursor.fetchone()[0])
        cursor.execute(f'ALTER TABLE "{spec.table}" DETACH PARTITION "{first.name}"')
        month = partitioning.period_start(oldest, spec.interval)
        while partitioning._aware(month) < first.upper:
            partitioning._create_partition(cursor, spec, month)
            month = partitioning.next_period(month, spec.interval)
        cursor.execute(f'INSERT INTO "{spec.table}" SELECT * FROM "{first.name}"')  # noqa: S608
        cursor.execute(f'DROP TABLE "{first.name}"')
    with connection.cursor() as cursor:
        cursor.execute(f'ANALYZE "{spec.table}"')
    names = [p.name for p in partitioning.partitions(spec.table)]
    print(f"split into {len(names)} partitions in {time.perf_counter() - started:.1f} s")


def capture(url: str) -> dict[str, list[tuple[str, bool]]]:
    """name -> [(sql, is_write)] from the application's own code."""
    os.environ["DATABASE_URL"] = url
    import django

    django.setup()
    from django.db import connection
    from django.db.models import Count
    from django.test.utils import CaptureQueriesContext

    from bench.bench_funds import bench_user
    from shegong.funds import selectors
    from shegong.funds.models import JournalLine

    def sqls(fn) -> list[str]:
        with CaptureQueriesContext(connection) as ctx:
            fn()
        return [q["sql"] for q in ctx.captured_queries]

    busiest = JournalLine.objects.values("account_id").annotate(n=Count("id")).order_by("-n")[0]
    ops = {
        "账户余额（由分录汇总）": [
            (s, False) for s in sqls(lambda: selectors.account_balance(busiest["account_id"]))
        ],
    }
    for label, code in (("全国", "000000000000"), ("广东省", "440000000000")):
        user = bench_user(code)
        ops[f"预算执行报表：{label}"] = [
            (s, False)
            for s in sqls(lambda user=user: selectors.execution_report(fetched_by=user))
            if "funds_journalline" in s
        ]
    line = JournalLine.objects.order_by("-id").first()
    ops["写入两条分录"] = [
        (
            "INSERT INTO funds_journalline (entry_id, account_id, debit, credit, balance_after, "
            "region_code, source, account_kind, entry_kind, posted_at) VALUES "
            f"({line.entry_id}, {line.account_id}, 100, 0, 0, '{line.region_code}', "
            f"'{line.source}', '{line.account_kind}', '{line.entry_kind}', now()), "
            f"({line.entry_id}, {line.account_id}, 0, 100, 0, '{line.region_code}', "
            f"'{line.source}', '{line.account_kind}', '{line.entry_kind}', now())",
            True,
        )
    ]
    ops["写入审计日志一条"] = [
        (
            "INSERT INTO core_auditlog (at, actor_name, action, object_type, object_id, "
            "region_code, detail, seq, prev_hash, hash) VALUES (now(), 'bench', 'other', '', '', "
            "'440106000000', '{}', 999999999, repeat('0', 64), repeat('1', 64))",
            True,
        )
    ]
    ops["写入居民变更历史一条"] = [
        (
            "INSERT INTO people_historicalresident (id, history_date, history_type, "
            + ", ".join(_history_columns(connection))
            + ") SELECT 1, now(), '+', "
            + ", ".join(_history_values(connection)),
            True,
        )
    ]
    return ops


def _history_required(connection) -> list[tuple[str, str]]:
    """The NOT NULL columns of the residents' history without a default, and a value for each."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT column_name, data_type FROM information_schema.columns "
            "WHERE table_name = 'people_historicalresident' AND is_nullable = 'NO' "
            "AND column_default IS NULL AND is_identity = 'NO' "
            "AND column_name NOT IN ('id', 'history_date', 'history_type') ORDER BY column_name"
        )
        rows = cursor.fetchall()
    values = {
        "text": "''",
        "character varying": "''",
        "boolean": "false",
        "integer": "0",
        "bigint": "0",
        "smallint": "0",
        "date": "current_date",
        "timestamp with time zone": "now()",
        "jsonb": "'{}'",
        "numeric": "0",
        "uuid": "gen_random_uuid()",
        "bytea": "''",
    }
    return [(name, values.get(kind, "''")) for name, kind in rows]


def _history_columns(connection) -> list[str]:
    return [name for name, _ in _history_required(connection)]


def _history_values(connection) -> list[str]:
    return [value for _, value in _history_required(connection)]


def explain(conn, sql: str) -> str:
    with conn.cursor() as cur:
        cur.execute("EXPLAIN " + sql)
        return "\n".join(r[0] for r in cur.fetchall())


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--split-months", metavar="URL")
    parser.add_argument(
        "--only", action="append", default=[], help="the operations whose name has this"
    )
    parser.add_argument("--dump", metavar="DIR", help="also write each operation's SQL there")
    parser.add_argument(
        "--extra",
        action="append",
        default=[],
        metavar="NAME=FILE",
        help="also time these saved read statements (e.g. an earlier version of a report's SQL)",
    )
    parser.add_argument(
        "--parallel",
        type=int,
        metavar="N",
        help="max_parallel_workers_per_gather for every connection (default: the server's)",
    )
    parser.add_argument(
        "databases", nargs="*", help="name=postgres://…; the SQL is captured on the last"
    )
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shegong.settings.local")
    if args.split_months:
        split_months(args.split_months)
        return
    import psycopg

    named = [item.split("=", 1) for item in args.databases]
    ops = capture(named[-1][1])
    if args.only:
        ops = {op: sqls for op, sqls in ops.items() if any(part in op for part in args.only)}
    if args.dump:
        from pathlib import Path

        for n, statements in enumerate(ops.values()):
            Path(args.dump, f"{n}.sql").write_text(";\n".join(s for s, _ in statements) + ";\n")
    for item in args.extra:
        name, path = item.split("=", 1)
        from pathlib import Path

        text = Path(path).read_text()
        ops[name] = [(sql, False) for sql in text.split(";\n") if sql.strip()]
    conns = {name: psycopg.connect(url) for name, url in named}
    if args.parallel is not None:
        for conn in conns.values():
            conn.execute(f"SET max_parallel_workers_per_gather = {int(args.parallel)}")
            conn.commit()
    samples: dict[tuple[str, str], list[float]] = {}
    for _ in range(args.runs):
        for op, statements in ops.items():
            for name, conn in conns.items():
                started = time.perf_counter()
                with conn.cursor() as cur:
                    for sql, _write in statements:
                        cur.execute(sql)
                        if cur.description:
                            cur.fetchall()
                conn.rollback()  # the writes are not kept
                samples.setdefault((op, name), []).append((time.perf_counter() - started) * 1000)
    load = os.getloadavg()
    workers = "server default" if args.parallel is None else args.parallel
    print(
        f"runs {args.runs}, max_parallel_workers_per_gather {workers}, "
        f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}\n"
    )
    print("| operation | " + " | ".join(f"{n} median (ms)" for n, _ in named) + " |")
    print("|---|" + "---:|" * len(named))
    for op in ops:
        cells = [f"{statistics.median(samples[(op, n)]):.2f}" for n, _ in named]
        print(f"| {op} | " + " | ".join(cells) + " |")
    for op, statements in ops.items():
        for name, conn in conns.items():
            if statements[0][1]:
                continue
            print(f"\n<details><summary>EXPLAIN · {op} · {name}</summary>\n\n```")
            print("\n---\n".join(explain(conn, sql) for sql, _ in statements))
            print("```\n\n</details>")
            conn.rollback()
    for conn in conns.values():
        conn.close()


if __name__ == "__main__":
    main(sys.argv[1:])
