"""Synthetic workforce for benchmarks: worker profiles at the foundation's township stations,
one certificate and one registration per certified worker, and a ledger of training hours.

    DATABASE_URL=... .venv/bin/python -m bench.synth --only workforce --scale small
    DATABASE_URL=... .venv/bin/python -m bench.synth_workforce --scale national

National scale: 1,000,000 profiles and 10,000,000 hour records. Needs the foundation's
synthetic stations (bench/synth.py). Set-based on both databases: INSERT … SELECT over
generate_series (PostgreSQL) or a recursive counter (SQLite), in batches. Deterministic: row n's
fields are arithmetic on n. Idempotent: each table is filled only up to the scale's count.

Shape: 40 % hold no certificate, 30 % assistant, 20 % social worker, 10 % senior; 1 in 20 has
left; registrations began within the last 3 years (so a sixth end within the next 6 months);
10 hour records per worker over the last 4 years, 2–8 hours each.
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import date

COUNTS = {
    "small": {"workers": 100_000, "hours": 1_000_000},
    "medium": {"workers": 300_000, "hours": 3_000_000},
    "national": {"workers": 1_000_000, "hours": 10_000_000},
}
BATCH = 200_000
TODAY = date.today().isoformat()


def _count(cursor, table: str) -> int:
    cursor.execute(f"SELECT COUNT(*) FROM {table}")  # noqa: S608 - table names are constants
    return cursor.fetchone()[0]


def _series(pg: bool, low: int, high: int) -> str:
    if pg:
        return f"generate_series({low}::bigint, {high - 1}::bigint) AS s(g)"
    counter = f"SELECT {low} UNION ALL SELECT g + 1 FROM c WHERE g < {high - 1}"  # noqa: S608
    return f"(WITH RECURSIVE c(g) AS ({counter}) SELECT g FROM c) AS s"  # noqa: S608


def _days_before(pg: bool, expr: str) -> str:
    if pg:
        return f"(DATE '{TODAY}' - ({expr})::int)"
    return f"date('{TODAY}', '-' || ({expr}) || ' days')"


def _pad(pg: bool, expr: str, width: int) -> str:
    return f"lpad(({expr})::text, {width}, '0')" if pg else f"printf('%0{width}d', {expr})"


def generate(*, scale: str, stdout) -> dict[str, int]:
    from django.db import connection, transaction

    counts = COUNTS[scale]
    pg = connection.vendor == "postgresql"
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, region_id FROM orgs_organisation WHERE kind = 'sw_station' AND is_active "
            "ORDER BY region_id, id"
        )
        stations = cursor.fetchall()
        if not stations:
            raise SystemExit("no stations: run bench.synth (foundation) first")
        cursor.execute("DROP TABLE IF EXISTS syn_wf_station")
        cursor.execute(
            "CREATE TABLE syn_wf_station (n integer PRIMARY KEY, id bigint, code varchar(12))"
        )
        cursor.executemany(
            "INSERT INTO syn_wf_station VALUES (%s, %s, %s)",
            [(i, sid, code) for i, (sid, code) in enumerate(stations)],
        )
        ns = len(stations)
        now = "now()" if pg else "datetime('now')"
        have = _count(cursor, "workforce_workerprofile")
        for low in range(have, counts["workers"], BATCH):
            high = min(low + BATCH, counts["workers"])
            level = (
                "CASE WHEN g % 10 < 4 THEN '' WHEN g % 10 < 7 THEN 'assistant' "
                "WHEN g % 10 < 9 THEN 'social_worker' ELSE 'senior' END"
            )
            with transaction.atomic():
                cursor.execute(
                    f"""
                    INSERT INTO workforce_workerprofile (created_at, updated_at, name, sex,
                      birth_date, id_number_encrypted, id_number_hash, id_number_masked, education,
                      major, social_work_major, employer_id, region_code, post, employment_type,
                      social_work_start_date, skills, service_fields, party_member, phone, status,
                      leave_reason, highest_level, approved_supervisor)
                    SELECT {now}, {now}, '合成社工' || g, CASE WHEN g % 2 = 0 THEN 'F' ELSE 'M' END,
                      {_days_before(pg, "8000 + (g * 37) % 12000")},
                      'synthetic', 'wf' || {_pad(pg, "g", 10)}, substr(st.code, 1, 6) || '********0000',
                      CASE g % 5 WHEN 0 THEN 'college' WHEN 1 THEN 'master' WHEN 2 THEN 'high_school'
                        ELSE 'bachelor' END,
                      '', g % 2 = 0, st.id, st.code, '社工', 'organisation',
                      {_days_before(pg, "30 + (g * 53) % 5000")}, '', '', g % 7 = 0,
                      '13' || {_pad(pg, "g % 1000000000", 9)},
                      CASE WHEN g % 20 = 0 THEN 'left' ELSE 'in_post' END, '',
                      {level}, g % 10 = 9
                    FROM {_series(pg, low, high)}
                    JOIN syn_wf_station st ON st.n = (g * 7919) % {ns}
                    """  # noqa: S608
                )
            stdout.write(f"  workers {high:,}\n")
        if _count(cursor, "workforce_certificate") == 0:
            with transaction.atomic():
                cursor.execute(
                    f"""
                    INSERT INTO workforce_certificate (worker_id, region_code, level, number,
                      issued_on, issuing_body)
                    SELECT id, region_code, highest_level, 'SYN' || id,
                      {_days_before(pg, "400 + (id * 31) % 3000")}, ''
                    FROM workforce_workerprofile WHERE highest_level <> ''
                    """  # noqa: S608
                )
                cursor.execute(
                    f"""
                    INSERT INTO workforce_registration (worker_id, certificate_id, region_code,
                      level, kind, registered_on, valid_from, valid_until, status)
                    SELECT worker_id, id, region_code, level, 'first', d, d,
                      {"(d + interval '3 years' - interval '1 day')::date" if pg else "date(d, '+3 years', '-1 day')"},
                      'active'
                    FROM (SELECT c.*, {_days_before(pg, "(c.id * 17) % 1095")} AS d
                          FROM workforce_certificate c) x
                    """  # noqa: S608
                )
            stdout.write("  certificates and registrations\n")
        cursor.execute("SELECT MIN(id), COUNT(*) FROM workforce_workerprofile")
        first, nw = cursor.fetchone()
        have = _count(cursor, "workforce_hourscredit")
        for low in range(have, counts["hours"], BATCH * 2):
            high = min(low + BATCH * 2, counts["hours"])
            with transaction.atomic():
                cursor.execute(
                    f"""
                    INSERT INTO workforce_hourscredit (worker_id, region_code, credited_on, hours,
                      source, kind)
                    SELECT w.id, w.region_code, {_days_before(pg, "(g * 31) % 1460")},
                      2 + g % 7, 'course', CASE WHEN g % 3 = 0 THEN 'practice' ELSE 'theory' END
                    FROM {_series(pg, low, high)}
                    JOIN workforce_workerprofile w ON w.id = {first} + (g % {nw})
                    """  # noqa: S608
                )
            stdout.write(f"  hours {high:,}\n")
        cursor.execute("DROP TABLE IF EXISTS syn_wf_station")
        if pg:
            cursor.execute("ANALYZE")
        else:
            cursor.execute("ANALYZE")
        made = {
            "workers": _count(cursor, "workforce_workerprofile"),
            "certificates": _count(cursor, "workforce_certificate"),
            "registrations": _count(cursor, "workforce_registration"),
            "hours": _count(cursor, "workforce_hourscredit"),
        }
    stdout.write(f"workforce: {made} in {time.perf_counter() - started:.0f} s\n")
    return made


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", choices=sorted(COUNTS), default="national")
    args = parser.parse_args(argv)
    from bench.synth import setup_django

    setup_django()
    generate(scale=args.scale, stdout=sys.stdout)


if __name__ == "__main__":
    main()
