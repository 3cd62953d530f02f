"""Synthetic petitions and disputes for benchmarks: 2,000,000 matters across the country.

    DATABASE_URL=... .venv/bin/python -m bench.synth --only petitions --scale national

Set-based: on PostgreSQL one INSERT … SELECT over generate_series per batch of 250,000; on
SQLite executemany in batches of 50,000. A human resources department is made in every county
that lacks one (the handling unit of the county list). Deterministic: matter n's fields are
arithmetic on n. Idempotent: it only adds the matters missing up to the scale's count.

Shape: received within the last year; 70% closed (85% of them replied on time, half rated),
15% being handled (60-day clock, received within 75 days, so about a fifth are overdue), 7%
routed and awaiting acceptance, 5% awaiting dispatch (both within their 15 days), 2% replied,
1% mediating; every 97th is a repeat.
"""

from __future__ import annotations

import time
from datetime import date, timedelta

COUNTS = {"small": 40_000, "national": 2_000_000}
KINDS = ["petition", "complaint", "request", "dispute"]
CHANNELS = ["visit", "letter", "phone", "hotline", "online", "field", "meeting"]
RATINGS = ["satisfied"] * 7 + ["basic"] * 2 + ["dissatisfied"]
OPEN = ("registered", "assigned", "accepted", "mediating", "review", "rereview")


def status_of(n: int) -> str:
    if n % 97 == 0:
        return "merged"
    s = n % 100
    if s < 70:
        return "closed"
    if s < 85:
        return "accepted"
    if s < 92:
        return "assigned"
    if s < 97:
        return "registered"
    if s < 99:
        return "replied"
    return "mediating"


def _hr_departments(stdout) -> None:
    """One human resources department per county (set-based; skips counties that have one)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO orgs_organisation (name, kind, sector, region_id, credit_code, address,
                phone, contact_person, opening_hours, services, description, is_active,
                created_at, updated_at)
            SELECT r.name || '人力资源和社会保障局', 'gov_department', 'human_resources', r.code,
                   '', '', '', '', '', '', '', %s, %s, %s
            FROM regions_region r
            WHERE r.level = 3 AND NOT EXISTS (
                SELECT 1 FROM orgs_organisation o WHERE o.region_id = r.code
                AND o.kind = 'gov_department' AND o.sector = 'human_resources')
            """,
            [True, _now(), _now()],
        )
        stdout.write(f"  human resources departments added: {cursor.rowcount}\n")


def _now():
    from django.utils import timezone

    return timezone.now()


def _lookups():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT t.code, o.id, c.parent_id FROM regions_region t "
            "JOIN regions_region c ON c.code = t.parent_id "
            "JOIN orgs_organisation o ON o.region_id = c.code AND o.kind = 'gov_department' "
            "AND o.sector = 'human_resources' WHERE t.level = 4 ORDER BY t.code"
        )
        townships = []
        seen = set()
        for code, org_id, city in cursor.fetchall():
            if code not in seen:
                seen.add(code)
                townships.append((code, org_id, city or ""))
        cursor.execute(
            "SELECT id FROM petitions_category c WHERE NOT EXISTS "
            "(SELECT 1 FROM petitions_category k WHERE k.parent_id = c.id) ORDER BY id"
        )
        categories = [row[0] for row in cursor.fetchall()]
    return townships, categories


def row_for(n: int, today: date, townships, categories, now) -> tuple:
    township, org_id, city = townships[(n * 7919) % len(townships)]
    status = status_of(n)
    window = {"registered": 14, "assigned": 16, "accepted": 75, "mediating": 60}.get(status, 365)
    received = today - timedelta(days=(n * 37) % window)
    handled = status not in ("registered", "merged")
    accepted_on = (
        received + timedelta(days=3)
        if status in ("accepted", "mediating", "replied", "closed")
        else None
    )
    due_stage, due_from, due_days, due_date = "", None, None, None
    if status == "registered":
        due_stage, due_from, due_days = "register", received, 15
    elif status == "assigned":
        due_stage, due_from, due_days = "accept", received + timedelta(days=1), 15
    elif status in ("accepted", "mediating"):
        due_stage, due_from, due_days = "reply", accepted_on, 60
    if due_from is not None:
        due_date = due_from + timedelta(days=due_days)
    replied_on = closed_on = None
    replied_on_time = None
    rating = ""
    if status in ("closed", "replied"):
        took = n % 70
        replied_on = min(received + timedelta(days=3 + took), today)
        replied_on_time = took <= 60
        closed_on = replied_on if status == "closed" else None
        if status == "closed" and n % 2 == 0:
            rating = RATINGS[n % 10]
    number = f"{township[:6]}{received:%Y%m%d}B{n:09d}"
    return (
        number,
        KINDS[n % 4],
        CHANNELS[n % 7],
        status,
        township,
        township[:6],
        "",
        categories[n % len(categories)],
        "拖欠工资",
        "请求处理（基准数据）",
        "",
        "normal",
        False,
        False,
        1,
        received,
        3,
        f"{n % 10000:04d}",
        org_id if handled else None,
        city if handled else "",
        received + timedelta(days=1) if handled else None,
        accepted_on,
        due_stage,
        due_from,
        due_days,
        "calendar" if due_stage else "",
        due_date,
        False,
        0,
        False,
        None,
        "support" if replied_on else "",
        "",
        replied_on,
        replied_on_time,
        closed_on,
        "",
        0,
        False,
        None,
        None,
        rating,
        "worker" if rating else "",
        closed_on if rating else None,
        status == "merged",
        0,
        False,
        "",
        "",
        now,
        now,
    )


COLUMNS = (
    "number, kind, channel, status, region_id, county_code, address, category_id, title, "
    "request, facts, urgency, anonymous, is_group, people_count, received_on, tier, "
    "track_suffix, handling_org_id, escalation_code, assigned_on, accepted_on, due_stage, "
    "due_from, due_days, due_rule, due_date, due_provisional, extended_days, "
    "is_overdue, overdue_since, reply_kind, reply_text, replied_on, replied_on_time, "
    "closed_on, routed_out_notice, review_level, chain_ended, followup_due, followed_up_on, "
    "rating, rating_via, rated_on, is_repeat, repeat_count, is_supervised, finding_ref, "
    "internal_note, created_at, updated_at"
)


def generate(*, scale: str, stdout) -> None:
    from django.db import connection, transaction
    from django.utils import timezone

    target = COUNTS[scale]
    _hr_departments(stdout)
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM petitions_matter WHERE number LIKE %s", ["%B%"])
        have = cursor.fetchone()[0]
    if have >= target:
        stdout.write(f"  petitions: {have:,} synthetic matters already present\n")
        return
    townships, categories = _lookups()
    today = timezone.localdate()
    now = timezone.now()
    started = time.perf_counter()
    placeholders = ", ".join(["%s"] * len(COLUMNS.split(",")))
    insert = f"INSERT INTO petitions_matter ({COLUMNS}) VALUES ({placeholders})"  # noqa: S608
    if connection.vendor == "postgresql":
        _generate_postgres(have, target, townships, categories, today, now, stdout)
    else:
        batch = 50_000
        for low in range(have + 1, target + 1, batch):
            rows = [
                row_for(n, today, townships, categories, now)
                for n in range(low, min(low + batch, target + 1))
            ]
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.executemany(insert, rows)
            stdout.write(f"  petitions: {low + len(rows) - 1:,} / {target:,}\n")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    stdout.write(
        f"  petitions: {target - have:,} matters in {time.perf_counter() - started:.0f} s\n"
    )


def _generate_postgres(have, target, townships, categories, today, now, stdout) -> None:
    """COPY the rows in (the fastest set-based path; rows are computed by `row_for`)."""
    from django.db import connection

    batch = 250_000
    columns = [c.strip() for c in COLUMNS.split(",")]
    with connection.cursor() as cursor:
        raw = cursor.connection
        for low in range(have + 1, target + 1, batch):
            high = min(low + batch, target + 1)
            with (
                raw.cursor() as pg,
                pg.copy(f"COPY petitions_matter ({', '.join(columns)}) FROM STDIN") as copy,
            ):
                for n in range(low, high):
                    copy.write_row(row_for(n, today, townships, categories, now))
            raw.commit()
            stdout.write(f"  petitions: {high - 1:,} / {target:,}\n")
