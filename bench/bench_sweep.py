"""Benchmark an emergency sweep over a whole city: every target group in 清远市 (about 100,000
target residents, bench/synth_sweep.py), declared by the city's department.

    .venv/bin/python -m bench.bench_sweep --db sqlite
    .venv/bin/python -m bench.bench_sweep --db postgres
    .venv/bin/python -m bench.bench_sweep --national --field-key-file var/field.key

Times: declaring (the set-based INSERT … SELECT of every task and the station assignment), the
board page (a full request through Django: full page, htmx body, a later page of the list) and
recording one outcome. Everything the run writes is rolled back (one transaction), so the data
set is left as generated.

`--national` runs the same measurements on the national PostgreSQL data set of
bench/bench_indicators.py (5,000,000 residents, bench/synth_people.py) instead of the synthetic
city: the city (level 2) whose target residents are closest to 100,000 (`--city` names another),
with the field key the data were written with (`--field-key-file`, or SHEGONG_FIELD_KEY). That
database is shared (the load test uses it): nothing is generated or migrated (the run stops if a
migration is pending) and every row the run writes is rolled back with its one transaction.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PG_SERVER = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432")
PG_DATABASE = "shegong_bench_sweep"
CITY_TARGET = 100_000  # target residents of a whole city at the national scale (issue 19)


def configure(db: str, *, national: bool = False, field_key_file: str = "") -> None:
    if national:
        from bench.bench_indicators import url_of

        url = url_of("postgres", "national")
        key_file = Path(field_key_file)
        key = os.environ.get("SHEGONG_FIELD_KEY") or (
            key_file.read_text().strip() if key_file.is_file() else ""
        )
        if not key:  # a new key would leave every encrypted value of the data set unreadable
            raise SystemExit(f"The national data set's field key is needed: {key_file}")
        os.environ["SHEGONG_FIELD_KEY"] = key
    elif db == "postgres":
        import psycopg

        with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
            if not conn.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", [PG_DATABASE]
            ).fetchone():
                conn.execute(f"CREATE DATABASE {PG_DATABASE}")
        url = f"{PG_SERVER}/{PG_DATABASE}"
    else:
        path = REPO / "var" / "bench" / "sweep_city.sqlite3"
        path.parent.mkdir(parents=True, exist_ok=True)
        url = f"sqlite:///{path}"
    os.environ["DATABASE_URL"] = url
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("DB_CONN_MAX_AGE", "60")
    os.environ["ALLOWED_HOSTS"] = "testserver,localhost"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shegong.settings.local")
    os.environ.setdefault("SHEGONG_VAR_DIR", str(REPO / "var" / "bench"))
    import django

    django.setup()


def check_schema() -> None:
    """The shared national database is never migrated by this bench: stop if it lags."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if pending:
        names = ", ".join(f"{m.app_label}.{m.name}" for m, _backwards in pending[:5])
        raise SystemExit(f"{len(pending)} migrations pending on the national data set: {names}")


def city_pick(city: str | None) -> tuple[str, int, int]:
    """The city (4-digit prefix) whose active target residents are closest to CITY_TARGET, or
    the one asked for; with its number of target residents and of residents."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT substr(region_code, 1, 4) AS city, COUNT(DISTINCT resident_id) AS n "
            "FROM people_residentcategory WHERE resident_status = 'active' "
            "GROUP BY substr(region_code, 1, 4) ORDER BY n DESC"
        )
        counts = cursor.fetchall()
        print("cities with the most target residents:", counts[:5], flush=True)
        if city is None:
            city = min(counts, key=lambda row: abs(row[1] - CITY_TARGET))[0]
        targets = dict(counts).get(city, 0)
        cursor.execute(
            "SELECT COUNT(*) FROM people_resident WHERE region_id >= %s AND region_id <= %s",
            [city.ljust(12, "0"), city.ljust(12, "9")],
        )
        residents = cursor.fetchone()[0]
    print(f"city {city}: {targets:,} target residents, {residents:,} residents", flush=True)
    return city, targets, residents


def prepare(regenerate: bool) -> None:
    from django.core.management import call_command

    from bench import synth_sweep
    from bench.synth_people import bench_users
    from shegong.people.models import Resident
    from shegong.regions.models import Region

    call_command("migrate", verbosity=0)
    if not Region.objects.filter(level=5, code__startswith=synth_sweep.CITY).exists():
        call_command("regions", "load")
    have = (
        Resident.objects.unscoped(reason="bench")
        .filter(id_number_encrypted=synth_sweep.MARK)
        .count()
    )
    if regenerate or have != synth_sweep.CITY_RESIDENTS + synth_sweep.OTHER_RESIDENTS:
        worker = bench_users()["bench_worker"]
        synth_sweep.generate(worker_id=worker.pk, stdout=sys.stdout)


class Rollback(Exception):
    pass


def _timed(fn, runs: int) -> dict:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return {"median_ms": round(statistics.median(times), 1), "max_ms": round(max(times), 1)}


def run(*, runs: int, city: str | None = None, residents: int | None = None) -> dict:
    from django.db import connection, transaction
    from django.utils import timezone

    from bench.bench_people import client_for
    from bench.synth_sweep import CITY
    from shegong.accounts.models import Membership
    from shegong.emergency import services
    from shegong.emergency.models import SweepTask
    from shegong.orgs.models import Organisation
    from shegong.people.models import Category, ResidentCategory
    from shegong.regions.models import Region

    city = city or CITY
    region = Region.objects.get(code=city.ljust(12, "0"))
    result: dict = {
        "city": f"{region.name} ({city})",
        "residents": residents
        if residents is not None
        else ResidentCategory.objects.unscoped(reason="bench")
        .values("resident_id")
        .distinct()
        .count(),
    }
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
            statements: list[tuple[float, str]] = []

            def timed_sql(execute, sql, params, many, context):
                t = time.perf_counter()
                try:
                    return execute(sql, params, many, context)
                finally:
                    statements.append(((time.perf_counter() - t) * 1000, sql))

            start = time.perf_counter()
            with connection.execute_wrapper(timed_sql):
                event = services.event_declare(
                    acting_user=user,
                    kind="typhoon",
                    title="bench city sweep",
                    areas=[region],
                    categories=groups,
                    starts_at=timezone.now(),
                )
            result["declare_ms"] = round((time.perf_counter() - start) * 1000, 1)
            # Where the time goes: the one INSERT … SELECT of the tasks, and the per-township
            # UPDATEs that set the station (and a worker where the resident has none).
            insert = [
                ms for ms, sql in statements if sql.startswith("INSERT INTO emergency_sweeptask")
            ]
            updates = [
                ms for ms, sql in statements if sql.startswith('UPDATE "emergency_sweeptask"')
            ]
            result["declare_queries"] = len(statements)
            result["declare_insert_ms"] = round(max(insert, default=0), 1)
            result["declare_updates"] = {"count": len(updates), "ms": round(sum(updates), 1)}
            result["tasks"] = event.task_count
            services.event_start(event=event, acting_user=user)
            if connection.vendor == "postgresql":
                # What autovacuum does shortly after the commit; inside the bench's rolled-back
                # transaction it never would, and the planner would see an empty table.
                with connection.cursor() as cursor:
                    cursor.execute("ANALYZE emergency_sweeptask")
            client = client_for(user)
            url = f"/emergency/{event.pk}/"
            result["board_page"] = _timed(lambda: client.get(url), runs)
            result["board_htmx"] = _timed(
                lambda: client.get(url, headers={"HX-Request": "1"}), runs
            )
            result["board_page_3"] = _timed(lambda: client.get(url + "?page=3"), runs)
            township = SweepTask.objects.unscoped(reason="bench").filter(event=event).first()
            result["board_township"] = _timed(
                lambda: client.get(url, {"township": township.region_code[:9]}), runs
            )
            tasks = iter(SweepTask.objects.unscoped(reason="bench").filter(event=event)[:runs])
            result["record_outcome"] = _timed(
                lambda: services.outcome_record(
                    task=next(tasks), acting_user=user, outcome="reached_safe"
                ),
                runs,
            )
            raise Rollback
    except Rollback:
        pass
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--regenerate", action="store_true")
    parser.add_argument(
        "--national",
        action="store_true",
        help="the national PostgreSQL data set of bench_indicators (5,000,000 residents)",
    )
    parser.add_argument("--city", help="with --national: a city's 4-digit code, not the pick")
    parser.add_argument(
        "--field-key-file",
        default=str(REPO / "var" / "field.key"),
        help="with --national: the key the data set's encrypted values were written with",
    )
    args = parser.parse_args()
    configure(args.db, national=args.national, field_key_file=args.field_key_file)
    extra: dict = {}
    if args.national:
        check_schema()
        city, targets, residents = city_pick(args.city)
        extra = {"city": city, "residents": targets}
        national = {"data_set": "national", "city_residents": residents}
    else:
        prepare(regenerate=args.regenerate)
        national = {}
    from django.db import connection

    load_before = os.getloadavg()
    result = {
        "db": f"{connection.vendor} {connection.Database.sqlite_version if connection.vendor == 'sqlite' else connection.pg_version}",
        **national,
        **run(runs=args.runs, **extra),
        "load_average": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
    }
    if args.national:
        # The rolled-back rows are dead tuples, and ANALYZE wrote the table's size into pg_class
        # in place (not undone by the rollback): clean both for the shared database's planner.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE emergency_sweeptask")
    print(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
