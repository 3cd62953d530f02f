"""Synthetic social workers for the careers benchmark: N worker profiles on the foundation's
stations and departments (bench/synth.py), with certificates, pay and leavers.

    generate(scale="national", stdout=sys.stdout)   # 1,000,000 worker profiles

Set-based: on PostgreSQL COPY … FROM STDIN per table, on SQLite executemany in batches of
50,000. Idempotent: profiles it made before (named "合成社工…") are kept.
"""

from __future__ import annotations

import random
import sys
import time
from datetime import date, datetime, timedelta

SCALES = {"tiny": 2_000, "small": 20_000, "medium": 200_000, "national": 1_000_000}
BATCH = 50_000
REASONS = ["薪酬偏低", "家庭原因", "考取公务员", "转行", "退休", "合同期满"]
YEAR = 2026


def _write(table: str, columns: list[str], rows: list[tuple]) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            names = ", ".join(columns)
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(columns))
            sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"  # noqa: S608 (names from the models)
            cursor.executemany(sql, rows)


def _defaults(model) -> dict:
    from django.db.models import NOT_PROVIDED

    found = {}
    for f in model._meta.concrete_fields:
        if f.primary_key:
            continue
        if f.default is not NOT_PROVIDED:
            found[f.column] = f.default() if callable(f.default) else f.default
        elif f.null:
            found[f.column] = None
        else:
            found[f.column] = ""
    return found


def _employers() -> list[tuple[int, str]]:
    from shegong.orgs.models import Organisation

    stations = list(
        Organisation.objects.filter(kind="sw_station", is_active=True).values_list(
            "id", "region_id"
        )
    )
    departments = list(
        Organisation.objects.filter(kind="sw_department").values_list("id", "region_id")
    )
    return stations, departments


def _standards_and_guidance(departments) -> None:
    from shegong.careers.models import PayGuidance
    from shegong.orgs.models import StaffingStandard

    if not StaffingStandard.objects.filter(region_code="").exists():
        StaffingStandard.objects.create(
            region_code="", workers_per_station=2, document_title="全国默认（合成）"
        )
    if not StaffingStandard.objects.filter(region_code="440000000000").exists():
        StaffingStandard.objects.create(
            region_code="440000000000", workers_per_station=3, document_title="广东省（合成）"
        )
    nation = next((d for d in departments if d[1] == "000000000000"), departments[0])
    PayGuidance.objects.get_or_create(
        region_code="000000000000",
        year=YEAR,
        defaults={"organisation_id": nation[0], "monthly_yuan": 5200},
    )


def generate(*, scale: str, stdout=sys.stdout) -> dict[str, int]:
    from django.db import transaction

    from shegong.careers.models import WorkerPay
    from shegong.workforce.models import Certificate, WorkerProfile

    n = SCALES.get(scale, SCALES["national"])
    if WorkerPay.objects.exists():
        stdout.write("careers synthetic data already present; kept\n")
        return {"workers": WorkerProfile.objects.count()}
    if WorkerProfile.objects.filter(name__startswith="合成社工").exists():
        return augment(stdout=stdout)
    stations, departments = _employers()
    if not stations:
        stdout.write("no stations: run the foundation generator first\n")
        return {}
    _standards_and_guidance(departments)
    r = random.Random(20261206)
    now = datetime.now().astimezone()
    base = _defaults(WorkerProfile)
    base.update({"created_at": now, "updated_at": now})
    columns = list(base)
    started = time.perf_counter()
    with transaction.atomic():
        batch: list[tuple] = []
        for i in range(n):
            employer_id, region = r.choice(stations) if r.random() < 0.85 else r.choice(departments)
            left = r.random() < 0.08
            row = dict(base)
            row.update(
                name=f"合成社工{i}",
                education=r.choice(["high_school", "college", "bachelor", "bachelor", "master"]),
                social_work_major=r.random() < 0.5,
                employer_id=employer_id,
                region_code=region,
                post_start_date=date(2015, 1, 1) + timedelta(days=r.randrange(4300)),
                status="left" if left else "in_post",
                left_on=date(2025, 1, 1) + timedelta(days=r.randrange(700)) if left else None,
                leave_reason=r.choice(REASONS) if left else "",
            )
            batch.append(tuple(row[c] for c in columns))
            if len(batch) >= BATCH:
                _write(WorkerProfile._meta.db_table, columns, batch)
                batch = []
        if batch:
            _write(WorkerProfile._meta.db_table, columns, batch)
    stdout.write(f"worker profiles: {n} in {time.perf_counter() - started:.1f}s\n")

    started = time.perf_counter()
    ids = WorkerProfile.objects.filter(name__startswith="合成社工").values_list(
        "id", "region_code", "status"
    )
    certificate_columns = [
        "worker_id",
        "region_code",
        "level",
        "number",
        "issued_on",
        "issuing_body",
    ]
    pay_columns = ["worker_id", "region_code", "year", "monthly_yuan", "created_at", "updated_at"]
    certificates, pays, made = [], [], {"certificates": 0, "pay": 0}
    with transaction.atomic():
        for worker_id, region, status in ids.iterator(chunk_size=20_000):
            if r.random() < 0.4:
                certificates.append(
                    (worker_id, region, r.choice(["assistant", "social_worker"]),
                     f"S{worker_id:09d}", date(2016, 6, 1) + timedelta(days=r.randrange(3000)),
                     "人力资源和社会保障部")
                )  # fmt: skip
            if status == "in_post" and r.random() < 0.25:
                pays.append((worker_id, region, YEAR, r.randrange(3800, 9000, 100), now, now))
            if len(certificates) >= BATCH:
                _write(Certificate._meta.db_table, certificate_columns, certificates)
                made["certificates"] += len(certificates)
                certificates = []
            if len(pays) >= BATCH:
                _write(WorkerPay._meta.db_table, pay_columns, pays)
                made["pay"] += len(pays)
                pays = []
        _write(Certificate._meta.db_table, certificate_columns, certificates)
        _write(WorkerPay._meta.db_table, pay_columns, pays)
        made["certificates"] += len(certificates)
        made["pay"] += len(pays)
    stdout.write(
        f"certificates: {made['certificates']}, pay rows: {made['pay']} "
        f"in {time.perf_counter() - started:.1f}s\n"
    )
    analyse()
    return {"workers": n, **made}


def augment(*, stdout=sys.stdout) -> dict[str, int]:
    """Careers' fields on the profiles bench/synth_workforce.py made (start of post, leaving
    dates and reasons) and a 2026 pay row for every fourth worker in post: set-based, so that
    the workforce and careers benchmarks read one national data set."""
    from django.db import connection, transaction

    from shegong.orgs.models import Organisation

    departments = list(
        Organisation.objects.filter(kind="sw_department").values_list("id", "region_id")
    )
    _standards_and_guidance(departments)
    pg = connection.vendor == "postgresql"

    def days_after(start: str, expr: str) -> str:
        if pg:
            return f"(DATE '{start}' + ({expr})::int)"
        return f"date('{start}', '+' || ({expr}) || ' days')"

    now = "now()" if pg else "datetime('now')"
    reasons = " ".join(f"WHEN {i} THEN '{r}'" for i, r in enumerate(REASONS))
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE workforce_workerprofile SET post_start_date = {days_after('2015-01-01', 'id * 7919 % 4300')} "  # noqa: S608
            "WHERE post_start_date IS NULL"
        )
        cursor.execute(
            f"UPDATE workforce_workerprofile SET left_on = {days_after('2025-01-01', 'id * 31 % 700')}, "  # noqa: S608
            f"leave_reason = CASE id % {len(REASONS)} {reasons} END "
            "WHERE status = 'left' AND left_on IS NULL"
        )
        cursor.execute(
            "INSERT INTO careers_workerpay (worker_id, region_code, year, monthly_yuan, "  # noqa: S608
            f"created_at, updated_at) SELECT id, region_code, {YEAR}, 3800 + (id * 13 % 52) * 100, "
            f"{now}, {now} FROM workforce_workerprofile WHERE status = 'in_post' AND id % 4 = 0"
        )
        cursor.execute("SELECT COUNT(*) FROM careers_workerpay")
        pay = cursor.fetchone()[0]
    stdout.write(f"careers fields and {pay:,} pay rows in {time.perf_counter() - started:.1f}s\n")
    analyse()
    return {"pay": pay}


def analyse() -> None:
    """Fresh planner statistics (and a visibility map) after the bulk load."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for table in ("workforce_workerprofile", "workforce_certificate", "careers_workerpay"):
                cursor.execute(f"VACUUM ANALYZE {table}")
        else:
            cursor.execute("ANALYZE")
