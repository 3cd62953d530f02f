"""Run the benchmarks and assemble docs/performance.md.

    .venv/bin/python -m bench.run report            # rebuild docs/performance.md from the sections
    .venv/bin/python -m bench.run all [--db postgres|sqlite] [--scale national|small]

`all` creates (or reuses) a benchmark database, loads every administrative division, generates
the synthetic national data (bench/synth.py and each bench/synth_<domain>.py), runs every
bench/bench_<domain>.py, then rebuilds the report. Benchmarks are never part of the test suite.
"""

from __future__ import annotations

import argparse
import os
import pkgutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SECTIONS = REPO / "docs" / "performance"
REPORT = REPO / "docs" / "performance.md"
ORDER = ["regions", "foundation", "people", "petitions", "volunteers", "funds", "reporting"]

HEADER = """# Performance

Measured by the runners under `bench/` (never by timed tests), on this project's machine kind:
2 CPU cores, 24 GiB memory, SQLite 3.40 (embedded default) and PostgreSQL 15 (production).
Each section says when it was run, at what scale, and how: server time is measured in-process
through Django (middleware, scoping, rendering) unless stated otherwise, and where a target asks
for it the raw SQL time of the same query is measured in the same run.

Regenerate: `make bench` (all) or a single runner, e.g. `.venv/bin/python -m bench.bench_people`;
then `.venv/bin/python -m bench.run report` rebuilds this file from `docs/performance/*.md`.
"""


def report() -> None:
    parts = [HEADER]
    files = sorted(
        SECTIONS.glob("*.md"),
        key=lambda p: (next((i for i, n in enumerate(ORDER) if p.stem.startswith(n)), 99), p.stem),
    )
    for path in files:
        text = path.read_text(encoding="utf-8").strip()
        if text.startswith("# "):
            text = "#" + text
        parts.append(text)
    REPORT.write_text("\n\n".join(parts) + "\n", encoding="utf-8")
    print(f"wrote {REPORT} from {len(files)} sections")


def run_all(db: str, scale: str) -> None:
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="shegong.settings.local")
    if db == "postgres":
        name = f"shegong_bench_{scale}"
        subprocess.run(
            ["psql", "-h", "127.0.0.1", "-U", "postgres", "-c", f"create database {name}"],
            check=False,
        )
        env["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{name}"
    else:
        env["DATABASE_URL"] = f"sqlite:///{REPO / 'var' / f'bench-{scale}.sqlite3'}"
    python = sys.executable
    subprocess.run([python, str(REPO / "manage.py"), "migrate", "-v0"], env=env, check=True)
    subprocess.run([python, "-m", "bench.synth", "--scale", scale], env=env, check=True, cwd=REPO)
    import bench

    for info in pkgutil.iter_modules(bench.__path__):
        if info.name.startswith("bench_"):
            subprocess.run([python, "-m", f"bench.{info.name}"], env=env, check=False, cwd=REPO)
    report()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("report")
    run = sub.add_parser("all")
    run.add_argument("--db", choices=["postgres", "sqlite"], default="postgres")
    run.add_argument("--scale", choices=["national", "small"], default="national")
    args = parser.parse_args()
    if args.command == "report":
        report()
    else:
        run_all(args.db, args.scale)


if __name__ == "__main__":
    main()
