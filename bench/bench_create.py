"""Registering residents one by one (the form's and the API's service) and in bulk requests.

    .venv/bin/python -m bench.bench_create --db sqlite --scale 100k [--single 3000] [--bulk 20000]

Runs on the benchmark database of bench_people (generate it first); every call goes through the
service with all its rules (validation, ID and likely-duplicate checks, history, audit). Each
single call is its own transaction, as a request's would be; each bulk request one transaction
of up to 1,000 items. The rows it creates are deleted afterwards.
"""

from __future__ import annotations

import argparse
import os
import time
from datetime import date, timedelta

from bench.bench_people import configure


def numbers_free(count: int) -> list[str]:
    """`count` valid ID numbers (天河区, born 1920–1945) nobody is registered with."""
    from shegong.core.crypto import blind_index
    from shegong.people.models import Resident
    from shegong.people.synthetic import make_id_number

    found: list[str] = []
    day = 0
    while len(found) < count:
        batch = []
        for _ in range(count - len(found) + 100):
            birth = date(1920, 1, 1) + timedelta(days=day // 7)
            batch.append(make_id_number("440106", birth, 400 + day % 7, "MF"[day % 2]))
            day += 1
        by_hash = {blind_index(n): n for n in batch}
        taken = set(
            Resident.objects.unscoped(reason="benchmark set-up")
            .filter(id_number_hash__in=list(by_hash))
            .values_list("id_number_hash", flat=True)
        )
        found += [n for h, n in by_hash.items() if h not in taken]
    return found[:count]


def clean_up(before: int) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        for table in (
            "people_historicalvisitplan",
            "people_historicalresidentcategory",
            "people_visitplan",
            "people_residentcategory",
        ):
            cursor.execute(f"DELETE FROM {table} WHERE resident_id > %s", [before])  # noqa: S608
        cursor.execute("DELETE FROM people_historicalresident WHERE id > %s", [before])
        cursor.execute("DELETE FROM people_resident WHERE id > %s", [before])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--scale", default="100k")
    parser.add_argument("--single", type=int, default=3000)
    parser.add_argument("--bulk", type=int, default=20000)
    args = parser.parse_args()
    configure(args.db, args.scale)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from bench.synth_people import bench_users
    from shegong.core.models import AuditLog
    from shegong.people import services
    from shegong.people.models import Category, Resident
    from shegong.regions.models import Region

    user = bench_users()["bench_county"]
    villages = list(Region.objects.filter(level=5, code__startswith="440106001")[:20])
    cared = Category.objects.get(code="living_alone")
    before = Resident.objects.order_by("-id").values_list("id", flat=True).first() or 0
    audit_before = AuditLog.objects.count()
    numbers = numbers_free(args.single * 2 + args.bulk)
    results = {}
    try:
        for label, categories in (("single, no category", []), ("single, one category", [cared])):
            chunk, numbers = numbers[: args.single], numbers[args.single :]
            started = time.perf_counter()
            for i, number in enumerate(chunk):
                services.resident_create(
                    acting_user=user,
                    name=f"测{label[-4:]}{i}号",
                    id_number=number,
                    region=villages[i % len(villages)],
                    phone="",
                    categories=categories,
                )
            seconds = time.perf_counter() - started
            results[label] = round(len(chunk) / seconds)
        chunk = numbers[: args.bulk]
        items = [
            {
                "name": f"批{i}号",
                "id_number": number,
                "region": villages[i % len(villages)].code,
                "categories": ["living_alone"] if i % 2 else [],
            }
            for i, number in enumerate(chunk)
        ]
        started = time.perf_counter()
        created = 0
        for start in range(0, len(items), services.BULK_LIMIT):
            result = services.residents_bulk_create(
                acting_user=user,
                items=items[start : start + services.BULK_LIMIT],
                mode=services.VALID_ONLY,
            )
            created += result.created
            assert not result.error_count, result.error_rows[:3]
        seconds = time.perf_counter() - started
        results["bulk (1,000 a request, half with a category)"] = round(created / seconds)
        results["audit rows written"] = AuditLog.objects.count() - audit_before
    finally:
        clean_up(before)
    for label, value in results.items():
        print(f"{label}: {value:,}{' residents/s' if 'audit' not in label else ''}")
    with open("/proc/loadavg") as f:
        print("load average:", f.read().strip(), "· cores:", os.cpu_count())


if __name__ == "__main__":
    main()
