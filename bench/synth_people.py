# ruff: noqa: S608 - SQL built from constants and table names, never from user input
"""Synthetic residents, categories, visit plans, visits and cases, loaded set-based.

    generate(scale="100k" | "1m" | "5m", stdout=sys.stdout)

Every table is filled by `INSERT … SELECT` over a number series (PostgreSQL `generate_series`,
SQLite a recursive CTE), so nothing is created row by row in Python. 98 % of residents are spread
over all 620,572 villages of the country, 2 % sit in 天河区 (440106) so that a county list has a
realistic-to-heavy size. One in five residents is in a cared-for category and has a visit plan
(about a quarter of them overdue) and one visit; one in fifty has a case. The benchmark's
station social worker holds every tenth cared-for resident of 五山街道 (about 200 at 5 million,
a realistic caseload; other residents there belong to colleagues).

ID numbers of synthetic rows are not real numbers: `id_number_hash` holds a unique 64-character
key per row (the blind-index column's width) and `id_number_encrypted` one fixed dummy token. The lookup
benchmark adds a few hundred residents through the application's own service so that their
blind indexes are real; the query that finds them is the same as for any row.
"""

from __future__ import annotations

import sys
import time
from datetime import date

from django.db import connection, transaction

from shegong.core.demo_utils import GIVEN, SURNAMES

COMMON_GIVEN = "建华"  # given to 15 % of the synthetic residents

SCALES = {"10k": 10_000, "100k": 100_000, "1m": 1_000_000, "5m": 5_000_000}
TIANHE = "440106"
WORKER_TOWNSHIP = "440106001"  # 五山街道: the bench worker's township
BENCH_USERS = {
    "bench_national": ("dept_leader", "000000000000", "sw_department"),
    "bench_province": ("dept_leader", "440000000000", "sw_department"),
    "bench_county": ("dept_staff", "440106000000", "sw_department"),
    "bench_worker": ("station_worker", "440106001000", "sw_station"),
}


LOADED_TABLES = (
    "people_resident",
    "people_residentcategory",
    "people_visitplan",
    "people_visit",
    "cases_case",
)


def _pg() -> bool:
    return connection.vendor == "postgresql"


def _series(n: int) -> str:
    """A FROM clause giving column g = 1..n."""
    if _pg():
        return f"generate_series(1::bigint, {n}) AS s(g)"
    return (
        f"(WITH RECURSIVE s(g) AS (SELECT 1 UNION ALL SELECT g + 1 FROM s WHERE g < {n}) "
        "SELECT g FROM s) AS s"
    )


def _date(base: str, days_expr: str) -> str:
    if _pg():
        return f"(DATE '{base}' + ({days_expr})::int)"
    return f"date('{base}', ({days_expr}) || ' days')"


def _today_plus(days_expr: str) -> str:
    return _date(date.today().isoformat(), days_expr)


def _pad(expr: str, width: int) -> str:
    if _pg():
        return f"lpad(({expr})::text, {width}, '0')"
    return f"printf('%0{width}d', {expr})"


def _now() -> str:
    return "now()" if _pg() else "datetime('now')"


def bench_users():
    """The users the benchmark acts as (created when missing)."""
    from shegong.accounts.models import Membership, User
    from shegong.orgs.models import Organisation

    users = {}
    for username, (role, region, kind) in BENCH_USERS.items():
        org, _ = Organisation.objects.get_or_create(
            name=f"{username} 单位", kind=kind, region_id=region
        )
        user, _ = User.objects.get_or_create(username=username, defaults={"full_name": username})
        membership, _ = Membership.objects.get_or_create(user=user, organisation=org, role=role)
        user.active_membership = membership
        users[username] = user
    return users


def generate(*, scale: str, stdout=sys.stdout) -> None:
    n = SCALES[scale]
    users = bench_users()
    worker_id = users["bench_worker"].pk
    started = time.perf_counter()

    def step(label: str, sql: str) -> None:
        t = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(sql)
            count = cursor.rowcount
        stdout.write(f"  {label}: {count:,} rows in {time.perf_counter() - t:.1f}s\n")
        stdout.flush()

    rebuild: list[str] = []
    with transaction.atomic():
        with connection.cursor() as cursor:
            if _pg():
                # Bulk loads are far faster into bare tables: drop secondary indexes, load,
                # then build each index once (sorted) from its saved definition.
                cursor.execute(
                    "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = ANY(%s) "
                    "AND indexname NOT IN (SELECT conname FROM pg_constraint)",
                    [list(LOADED_TABLES)],
                )
                for index_name, indexdef in cursor.fetchall():
                    rebuild.append(indexdef)
                    cursor.execute(f'DROP INDEX "{index_name}"')
            for table in (
                "cases_case",
                "people_visit",
                "people_visitplan",
                "people_residentcategory",
                "people_assistance",
                "people_assessment",
                "people_householdmember",
            ):
                cursor.execute(f"DELETE FROM {table}")
            cursor.execute("DELETE FROM people_resident")
            for name in ("bench_villages", "bench_tianhe"):
                cursor.execute(f"DROP TABLE IF EXISTS {name}")
            cursor.execute(
                "CREATE TEMP TABLE bench_villages AS SELECT code, "
                "row_number() OVER (ORDER BY code) AS rn FROM regions_region WHERE level = 5"
            )
            cursor.execute(
                "CREATE TEMP TABLE bench_tianhe AS SELECT code, "
                "row_number() OVER (ORDER BY code) AS rn FROM regions_region "
                f"WHERE level = 5 AND code >= '{TIANHE}000000' AND code <= '{TIANHE}999999'"
            )
            cursor.execute("SELECT COUNT(*) FROM bench_villages")
            villages = cursor.fetchone()[0]
            cursor.execute("SELECT COUNT(*) FROM bench_tianhe")
            tianhe = cursor.fetchone()[0]
            if _pg():
                cursor.execute("CREATE INDEX ON bench_villages (rn)")
                cursor.execute("CREATE INDEX ON bench_tianhe (rn)")
                cursor.execute("ANALYZE bench_villages")
                cursor.execute("ANALYZE bench_tianhe")
        if not villages or not tianhe:
            raise SystemExit("Load the regions first: shegong regions load --all")
        local = n // 50
        national = n - local
        stdout.write(
            f"people synth: {n:,} residents ({local:,} in 天河区), {villages:,} villages\n"
        )
        # Given names: 15 % are 建华 (the search benchmark's "15 % of rows" term), the rest
        # one or two characters of GIVEN; surnames spread evenly (王 ≈ 1 %).
        name = (
            f"substr('{SURNAMES}', CAST((g * 7 % {len(SURNAMES)}) + 1 AS integer), 1) || "
            f"CASE WHEN g % 20 IN (1, 7, 13) THEN '{COMMON_GIVEN}' ELSE "
            f"substr('{GIVEN}', CAST((g * 13 % {len(GIVEN)}) + 1 AS integer), 1) || "
            f"CASE WHEN g % 3 = 0 THEN '' ELSE "
            f"substr('{GIVEN}', CAST((g * 17 % {len(GIVEN)}) + 1 AS integer), 1) END END"
        )
        birth = _date("1930-01-01", "(g * 7919) % 33000")
        risk = "CASE WHEN g % 10 = 0 THEN 'high' WHEN g % 10 < 4 THEN 'key' ELSE 'general' END"
        columns = (
            "id, name, id_number_encrypted, id_number_hash, id_number_masked, sex, birth_date, "
            "phone, address, region_id, county_code, latitude, longitude, health_notes, "
            "disability_level, risk_level, assigned_worker_id, status, merged_into_id, "
            "created_at, updated_at"
        )

        def residents_sql(offset: int, count: int, table: str, nv: int) -> str:
            gid = f"(g + {offset})"
            return (
                f"INSERT INTO people_resident ({columns}) "
                f"SELECT {gid}, {name}, 'v1:bench', "
                f"{_pad(gid, 64)}, substr(v.code, 1, 6) || '********' || {_pad(f'{gid} % 10000', 4)}, "
                f"CASE WHEN g % 2 = 0 THEN 'F' ELSE 'M' END, {birth}, "
                f"'139' || {_pad(f'{gid} % 100000000', 8)}, '幸福路' || (g % 300) || '号', "
                f"v.code, substr(v.code, 1, 6), "
                f"23.0 + (g % 1000) / 5000.0, 113.3 + (g % 997) / 5000.0, '', '', "
                f"CASE WHEN g % 5 = 0 THEN {risk} ELSE '' END, "
                f"CASE WHEN g % 50 = 0 AND substr(v.code, 1, 9) = '{WORKER_TOWNSHIP}' "
                f"THEN {worker_id} ELSE NULL END, 'active', NULL, {_now()}, {_now()} "
                f"FROM {_series(count)} JOIN {table} v ON v.rn = (g % {nv}) + 1"
            )

        step("residents (country)", residents_sql(0, national, "bench_villages", villages))
        step("residents (天河区)", residents_sql(national, local, "bench_tianhe", tianhe))
        with connection.cursor() as cursor:
            cursor.execute("SELECT id, code FROM people_category")
            cats = dict((code, pk) for pk, code in cursor.fetchall())
        cared = [cats[c] for c in ("living_alone", "empty_nest", "disabled", "tekun")]
        cat_expr = (
            f"CASE r.id % 4 WHEN 0 THEN {cared[0]} WHEN 1 THEN {cared[1]} "
            f"WHEN 2 THEN {cared[2]} ELSE {cared[3]} END"
        )
        step(
            "categories (cared for)",
            "INSERT INTO people_residentcategory (resident_id, category_id, region_code, "
            "resident_status, resident_birth_date, start_date, end_date, level) "
            f"SELECT r.id, {cat_expr}, r.region_id, r.status, r.birth_date, "
            f"{_date('2020-01-01', 'r.id % 1500')}, NULL, '' FROM people_resident r "
            "WHERE r.id % 5 = 0",
        )
        step(
            "categories (低保)",
            "INSERT INTO people_residentcategory (resident_id, category_id, region_code, "
            "resident_status, resident_birth_date, start_date, end_date, level) "
            f"SELECT r.id, {cats['dibao']}, r.region_id, r.status, r.birth_date, "
            f"{_date('2021-01-01', 'r.id % 1200')}, NULL, '' FROM people_resident r "
            "WHERE r.id % 7 = 0",
        )
        interval = "CASE r.risk_level WHEN 'high' THEN 7 WHEN 'key' THEN 30 ELSE 90 END"
        due = "(r.id * 31 % 120) - 30"
        step(
            "visit plans",
            "INSERT INTO people_visitplan (resident_id, region_code, county_code, worker_id, "
            "risk_level, interval_days, next_due_date, last_visit_date, event_note, is_active) "
            f"SELECT r.id, r.region_id, r.county_code, r.assigned_worker_id, r.risk_level, "
            f"{interval}, {_today_plus(due)}, {_today_plus(f'{due} - ({interval})')}, '', "
            f"{'TRUE' if _pg() else '1'} FROM people_resident r WHERE r.id % 5 = 0",
        )
        step(
            "visits",
            "INSERT INTO people_visit (resident_id, region_code, visited_on, mode, visited_by_id, "
            "visitors, finding_health, finding_living, finding_safety, finding_mood, needs, photo, "
            "due_date, created_at) SELECT p.resident_id, p.region_code, p.last_visit_date, "
            "'home', NULL, '社工', '', '', '', '', '', '', p.last_visit_date, "
            f"{_now()} FROM people_visitplan p",
        )
        org_id = users["bench_worker"].active_membership.organisation_id
        step(
            "cases",
            "INSERT INTO cases_case (resident_id, organisation_id, region_code, status, source, "
            "source_visit_id, title, problem, assessment_note, plan_summary, evaluation_note, "
            "closure_reason, worker_id, supervisor_id, opened_on, closed_on, created_at, "
            f"updated_at) SELECT r.id, {org_id}, r.region_id, CASE r.id % 3 WHEN 0 THEN "
            "'intake' WHEN 1 THEN 'intervention' ELSE 'closed' END, 'visit', NULL, '探访发现', "
            f"'', '', '', '', '', NULL, NULL, {_date('2025-01-01', 'r.id % 300')}, NULL, "
            f"{_now()}, {_now()} FROM people_resident r WHERE r.id % 50 = 0",
        )
        if _pg():
            with connection.cursor() as cursor:
                t = time.perf_counter()
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # check deferred FKs now
                for indexdef in rebuild:
                    cursor.execute(indexdef)
                stdout.write(f"  {len(rebuild)} indexes built in {time.perf_counter() - t:.1f}s\n")
                cursor.execute(
                    "SELECT setval(pg_get_serial_sequence('people_resident', 'id'), "
                    "(SELECT MAX(id) FROM people_resident))"
                )
    if _pg():
        t = time.perf_counter()
        with connection.cursor() as cursor:
            for table in (
                "people_resident",
                "people_residentcategory",
                "people_visitplan",
                "people_visit",
                "cases_case",
            ):
                cursor.execute(f"VACUUM ANALYZE {table}")
        stdout.write(f"  vacuum analyze: {time.perf_counter() - t:.1f}s\n")
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    stdout.write(f"people synth done in {time.perf_counter() - started:.1f}s\n")
