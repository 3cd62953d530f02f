# ruff: noqa: S608 - SQL built from constants and table names, never from user input
"""A city-sized sweep data set, loaded set-based (INSERT … SELECT over a number series):
150,000 residents in the villages of 清远市 (4418, which holds 英德市), two in three of them in
one of the target groups (about 100,000 target residents, as a whole city at the national
scale of 5 million), one in five with a visit plan and its worker; and 100,000 residents in the
rest of 广东 that a sweep of 清远市 must never touch.

    generate(stdout=sys.stdout)   # used by bench/bench_sweep.py
"""

from __future__ import annotations

import sys
import time

from django.db import connection, transaction

from bench.synth_people import _date, _now, _pad, _pg, _series

CITY = "4418"
CITY_RESIDENTS = 150_000
OTHER_RESIDENTS = 100_000
MARK = "v1:bench-sweep"


def generate(*, worker_id: int, stdout=sys.stdout) -> None:
    started = time.perf_counter()

    def step(label: str, sql: str) -> None:
        t = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(sql)
            count = cursor.rowcount
        stdout.write(f"  {label}: {count:,} rows in {time.perf_counter() - t:.1f}s\n")

    with transaction.atomic(), connection.cursor() as cursor:
        for table in ("people_visitplan", "people_residentcategory", "people_resident"):
            cursor.execute(f"DELETE FROM {table}")
        for name in ("sweep_city", "sweep_other"):
            cursor.execute(f"DROP TABLE IF EXISTS {name}")
        cursor.execute(
            "CREATE TEMP TABLE sweep_city AS SELECT code, row_number() OVER (ORDER BY code) AS rn "
            f"FROM regions_region WHERE level = 5 AND code >= '{CITY}00000000' "
            f"AND code <= '{CITY}99999999'"
        )
        cursor.execute(
            "CREATE TEMP TABLE sweep_other AS SELECT code, row_number() OVER (ORDER BY code) AS rn "
            f"FROM regions_region WHERE level = 5 AND code >= '440000000000' "
            f"AND code <= '449999999999' AND NOT (code >= '{CITY}00000000' "
            f"AND code <= '{CITY}99999999')"
        )
        cursor.execute("SELECT COUNT(*) FROM sweep_city")
        city_villages = cursor.fetchone()[0]
        cursor.execute("SELECT COUNT(*) FROM sweep_other")
        other_villages = cursor.fetchone()[0]
        if not city_villages:
            raise SystemExit("Load the regions of 广东 first: shegong regions load")
        columns = (
            "id, name, id_number_encrypted, id_number_hash, id_number_masked, sex, birth_date, "
            "phone, address, region_id, county_code, latitude, longitude, health_notes, "
            "disability_level, risk_level, assigned_worker_id, status, merged_into_id, "
            "created_at, updated_at"
        )

        def residents(offset: int, count: int, table: str, nv: int) -> str:
            gid = f"(g + {offset})"
            return (
                f"INSERT INTO people_resident ({columns}) SELECT {gid}, '排查' || {gid}, "
                f"'{MARK}', {_pad(gid, 64)}, '441881********0000', "
                f"CASE WHEN g % 2 = 0 THEN 'F' ELSE 'M' END, "
                f"{_date('1930-01-01', '(g * 7919) % 33000')}, '', '', v.code, "
                "substr(v.code, 1, 6), NULL, NULL, '', '', '', NULL, 'active', NULL, "
                f"{_now()}, {_now()} FROM {_series(count)} JOIN {table} v "
                f"ON v.rn = (g % {nv}) + 1"
            )

        step("residents (清远市)", residents(0, CITY_RESIDENTS, "sweep_city", city_villages))
        step(
            "residents (rest of 广东)",
            residents(CITY_RESIDENTS, OTHER_RESIDENTS, "sweep_other", other_villages),
        )
        cursor.execute("SELECT id, code FROM people_category ORDER BY id")
        cats = dict((code, pk) for pk, code in cursor.fetchall())
        groups = [pk for code, pk in cats.items() if code != "dibao"]
        cycle = " ".join(f"WHEN {i} THEN {pk}" for i, pk in enumerate(groups))
        link = (
            "INSERT INTO people_residentcategory (resident_id, category_id, region_code, "
            "resident_status, resident_birth_date, start_date, end_date, level) "
        )
        step(
            "categories (one group, 2 in 3)",
            link + f"SELECT r.id, CASE r.id % {len(groups)} {cycle} END, r.region_id, r.status, "
            f"r.birth_date, {_date('2020-01-01', 'r.id % 1500')}, NULL, '' "
            "FROM people_resident r WHERE r.id % 3 <> 0",
        )
        step(
            "categories (低保, 1 in 11)",
            link + f"SELECT r.id, {cats['dibao']}, r.region_id, r.status, r.birth_date, "
            f"{_date('2021-01-01', 'r.id % 1200')}, NULL, '' FROM people_resident r "
            "WHERE r.id % 11 = 0",
        )
        step(
            "visit plans (1 in 5, with a worker)",
            "INSERT INTO people_visitplan (resident_id, region_code, county_code, worker_id, "
            "risk_level, interval_days, next_due_date, last_visit_date, event_note, is_active) "
            f"SELECT r.id, r.region_id, r.county_code, {worker_id}, 'general', 90, "
            f"{_date('2026-12-01', 'r.id % 90')}, NULL, '', {'TRUE' if _pg() else '1'} "
            "FROM people_resident r WHERE r.id % 5 = 0",
        )
    with connection.cursor() as cursor:
        if _pg():
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence('people_resident', 'id'), "
                "(SELECT MAX(id) FROM people_resident))"
            )
            for table in ("people_resident", "people_residentcategory", "people_visitplan"):
                cursor.execute(f"VACUUM ANALYZE {table}")
        else:
            cursor.execute("ANALYZE")
    stdout.write(f"sweep synth done in {time.perf_counter() - started:.1f}s\n")
