"""Benchmark an emergency sweep over a whole city: every target group in 清远市 (about 100,000
target residents, bench/synth_sweep.py), declared by the city's department.

    .venv/bin/python -m bench.bench_sweep --db sqlite
    .venv/bin/python -m bench.bench_sweep --db postgres

Times: declaring (the set-based INSERT … SELECT of every task and the station assignment), the
board page (a full request through Django: full page, htmx body, a later page of the list) and
recording one outcome. Everything the run writes is rolled back (one transaction), so the data
set is left as generated.
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


def configure(db: str) -> None:
    if db == "postgres":
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


def run(*, runs: int) -> dict:
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

    region = Region.objects.get(code=CITY.ljust(12, "0"))
    result: dict = {
        "city": f"{region.name} ({CITY})",
        "residents": ResidentCategory.objects.unscoped(reason="bench")
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
    args = parser.parse_args()
    configure(args.db)
    prepare(regenerate=args.regenerate)
    from django.db import connection

    result = {
        "db": f"{connection.vendor} {connection.Database.sqlite_version if connection.vendor == 'sqlite' else connection.pg_version}",
        **run(runs=args.runs),
    }
    print(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
