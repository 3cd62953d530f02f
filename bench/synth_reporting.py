"""Synthetic reporting data: one national monthly form (20 integer elements, one "of which"
rule) and a year of reports from every township station of the foundation (bench/synth.py):
≈ 40,000 stations × 12 months ≈ 480,000 submissions and ≈ 9.6 million values at national scale.

Most reports are approved (locked), some only submitted, some returned, some missing; about one
in ten is late. Rows are written with COPY on PostgreSQL and bulk inserts on SQLite, by month.

    DATABASE_URL=... .venv/bin/python -m bench.synth --scale national --only reporting
"""

from __future__ import annotations

import random
import time
from datetime import UTC, date, datetime, timedelta

FORM_NAME = "全国社工站服务月报（合成）"
ELEMENTS = 20
MONTHS = 12
YEAR = 2025


def generate(*, scale: str, stdout, months: int = MONTHS) -> dict[str, int]:
    from django.db import connection, transaction

    from shegong.orgs.models import Organisation
    from shegong.reporting import services
    from shegong.reporting.models import ReportForm
    from shegong.reporting.services.summary import approved_sums_rebuild

    UNSCOPED = "benchmark generation"  # noqa: N806
    if ReportForm.objects.unscoped(reason=UNSCOPED).filter(name=FORM_NAME).exists():
        stdout.write("reporting synthetic data already present; kept\n")
        return {}
    nation = (
        Organisation.objects.unscoped(reason=UNSCOPED)
        .filter(region_id="000000000000", kind="sw_department")
        .order_by("id")
        .first()
    )
    form = services.form_create(acting_user=None, department=nation, name=FORM_NAME)
    elements = [
        services.element_create(
            acting_user=None, form=form, code=f"e{i:02d}", label=f"指标{i:02d}", order=i
        )
        for i in range(1, ELEMENTS + 1)
    ]
    services.rule_create(
        acting_user=None, form=form, left="e02", operator="le", right="e01", name="其中≤总数"
    )
    stations = list(
        Organisation.objects.unscoped(reason=UNSCOPED)
        .filter(kind="sw_station", is_active=True, region__level=4)
        .order_by("region_id")
        .values_list("id", "region_id")
    )
    # Each station's reviewer: its county department (one per county in the foundation).
    counties = dict(
        Organisation.objects.unscoped(reason=UNSCOPED)
        .filter(kind="sw_department", region__level=3)
        .values_list("region_id", "id")
    )
    r = random.Random(14)
    pg = connection.vendor == "postgresql"
    started = time.perf_counter()
    total_s = total_v = 0
    sub_cols = [
        "form_id", "unit_id", "region_code", "period_start", "period_end", "due_days",
        "due_rule", "due_date", "due_provisional", "status", "submitted_at", "on_time",
        "reviewer_id", "review_level", "approved_level", "last_approved_by_id", "locked",
        "updated_at",
    ]  # fmt: skip
    val_cols = [
        "submission_id", "element_id", "form_id", "period_start", "region_code", "approved",
        "value", "text", "prefilled",
    ]  # fmt: skip
    now = datetime.now(UTC)
    for m in range(months):
        start = date(YEAR, m + 1, 1)
        end = (date(YEAR + (m + 1) // 12, (m + 1) % 12 + 1, 1)) - timedelta(days=1)
        due = end + timedelta(days=10)
        rows = []
        for unit_id, code in stations:
            roll = r.random()
            if roll < 0.04:
                continue  # not reported
            status = (
                "approved" if roll < 0.6 else "reviewing" if roll < 0.9 else
                "submitted" if roll < 0.96 else "returned"
            )  # fmt: skip
            late = r.random() < 0.1
            submitted = datetime.combine(
                due + timedelta(days=3 if late else -2), datetime.min.time(), UTC
            )
            locked = status in ("approved", "reviewing")
            county = counties.get(code[:6] + "000000")
            rows.append(
                (
                    form.pk, unit_id, code, start, end, 10, "calendar", due, False, status,
                    submitted, not late, county if status in ("submitted", "reviewing") else None,
                    3 if status in ("submitted", "reviewing") else None,
                    1 if status == "approved" else 3 if status == "reviewing" else None,
                    None, locked, now,
                )
            )  # fmt: skip
        with transaction.atomic():
            ids = _insert(connection, "reporting_submission", sub_cols, rows, pg)
            values = []
            for sub_id, row in zip(ids, rows, strict=True):
                locked = row[16]
                total = r.randint(50, 500)
                for i, element in enumerate(elements):
                    value = (
                        total if i == 0 else r.randint(0, total) if i == 1 else r.randint(0, 900)
                    )
                    values.append(
                        (sub_id, element.pk, form.pk, row[3], row[2], locked, value, "", None)
                    )
            _insert(connection, "reporting_datavalue", val_cols, values, pg, returning=False)
        total_s += len(rows)
        total_v += len(values)
        stdout.write(
            f"  {start:%Y-%m}: {len(rows)} submissions, {len(values)} values "
            f"({time.perf_counter() - started:.0f}s)\n"
        )
    # The rows were written with COPY, past the approval services: the per-county summary of
    # approved figures is rebuilt from them as the operators' `shegong reporting_sums` does.
    summed = time.perf_counter()
    summary_rows = approved_sums_rebuild(form_id=form.pk)
    stdout.write(f"  summary: {summary_rows} rows ({time.perf_counter() - summed:.0f}s)\n")
    if pg:
        with connection.cursor() as cur:
            # As autovacuum would: the visibility map lets the roll-up read the index alone.
            cur.execute("VACUUM (ANALYZE) reporting_submission")
            cur.execute("VACUUM (ANALYZE) reporting_datavalue")
            cur.execute("VACUUM (ANALYZE) reporting_approvedsum")
    stdout.write(
        f"reporting: {total_s} submissions, {total_v} values in {time.perf_counter() - started:.0f}s\n"
    )
    return {"submissions": total_s, "values": total_v}


def _insert(connection, table, columns, rows, pg: bool, returning: bool = True) -> list[int]:
    """Insert `rows`; the new ids in order when `returning`. Table and column names are this
    module's own constants, never input."""
    if not rows:
        return []
    with connection.cursor() as cur:
        if pg:
            if returning:
                cur.execute(
                    f"SELECT nextval(pg_get_serial_sequence('{table}', 'id')) FROM generate_series(1, %s)",  # noqa: S608
                    [len(rows)],
                )
                ids = [x[0] for x in cur.fetchall()]
                rows = [(i, *row) for i, row in zip(ids, rows, strict=True)]
                columns = ["id", *columns]
            copy_sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
            with cur.cursor.copy(copy_sql) as copy:
                for row in rows:
                    copy.write_row(row)
            return ids if returning else []
        cur.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")  # noqa: S608
        first = cur.fetchone()[0] + 1
        ids = list(range(first, first + len(rows)))
        placeholders = ", ".join(["%s"] * (len(columns) + 1))
        sql = f"INSERT INTO {table} (id, {', '.join(columns)}) VALUES ({placeholders})"  # noqa: S608
        for i in range(0, len(rows), 20000):
            cur.executemany(
                sql,
                [(n, *row) for n, row in zip(ids[i : i + 20000], rows[i : i + 20000], strict=True)],
            )
        return ids
