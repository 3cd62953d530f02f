"""Synthetic volunteer services for benchmarks: 1,000,000 volunteers, 200,000 activities (two
shifts each, 400,000 sign-ups) and 10,000,000 service records across the country.

    DATABASE_URL=... .venv/bin/python -m bench.synth --only volunteers --scale national
    DATABASE_URL=... .venv/bin/python -m bench.synth_volunteers --scale national

Needs the foundation's synthetic sites (bench/synth.py: a station and a party-mass centre in every
township) and the regions. Set-based: on PostgreSQL INSERT … SELECT over generate_series in
batches; on SQLite executemany in batches of 50,000. Deterministic: row n's fields are arithmetic
on n. Idempotent: each table is filled only up to the scale's count.

Shape: volunteers live in villages spread over the country (every 5th a party member), registered
within the last five years; activities are organised by township stations over the last 3 years
and the next 2 months (95% published or completed); service records are dated on their activity's
day, 2–4 hours, 97% confirmed.
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import UTC, date, datetime, timedelta

COUNTS = {
    "small": {"volunteers": 20_000, "activities": 4_000, "records": 200_000},
    "medium": {"volunteers": 200_000, "activities": 40_000, "records": 2_000_000},
    "national": {"volunteers": 1_000_000, "activities": 200_000, "records": 10_000_000},
}
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蔡蒋余杜叶程苏魏吕"
)
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华玉萍红建文斌丹玲辉鹏志春梅海燕金凤"
TYPES = [
    "elderly",
    "children",
    "disability",
    "governance",
    "mediation",
    "emergency",
    "environment",
    "culture",
    "poverty",
]
TITLES = [
    "长者探访",
    "四点半课堂",
    "邻里调解协助",
    "河涌保洁",
    "防汛值守",
    "助残出行",
    "义诊",
    "文化广场",
    "节前慰问",
]
SKILLS = [
    '["elderly_care"]',
    '["teaching"]',
    "[]",
    '["law", "cantonese"]',
    '["medical"]',
    "[]",
    '["driving", "first_aid"]',
]
BATCH_PG = 500_000
BATCH_SQLITE = 50_000


def _count(cursor, table: str) -> int:
    cursor.execute(f"SELECT COUNT(*) FROM {table}")  # noqa: S608 - table names are constants
    return cursor.fetchone()[0]


def _villages(cursor) -> list[str]:
    cursor.execute("SELECT code FROM regions_region WHERE level = 5 ORDER BY code")
    codes = [r[0] for r in cursor.fetchall()]
    if not codes:
        cursor.execute("SELECT code FROM regions_region WHERE level >= 3 ORDER BY code")
        codes = [r[0] for r in cursor.fetchall()]
    return codes


def _stations(cursor) -> list[tuple[int, str]]:
    cursor.execute(
        "SELECT id, region_id FROM orgs_organisation WHERE kind = 'sw_station' AND is_active "
        "ORDER BY region_id, id"
    )
    return cursor.fetchall()


def generate(*, scale: str, stdout) -> dict[str, int]:
    from django.db import connection

    counts = COUNTS[scale]
    pg = connection.vendor == "postgresql"
    started = time.perf_counter()
    with connection.cursor() as cursor:
        villages = _villages(cursor)
        stations = _stations(cursor)
        if not stations:
            raise SystemExit("no stations: run bench.synth (foundation) first")
        if pg:
            _pg(cursor, counts, villages, stations, stdout)
        else:
            _sqlite(cursor, counts, villages, stations, stdout)
        made = {
            "volunteers": _count(cursor, "volunteers_volunteer"),
            "activities": _count(cursor, "volunteers_activity"),
            "shifts": _count(cursor, "volunteers_shift"),
            "signups": _count(cursor, "volunteers_signup"),
            "records": _count(cursor, "volunteers_servicerecord"),
        }
    stdout.write(f"volunteers: {made} in {time.perf_counter() - started:.0f} s\n")
    return made


# ---- PostgreSQL: INSERT … SELECT over generate_series ------------------------------------------


def _pg(cursor, counts, villages, stations, stdout) -> None:
    cursor.execute(
        "CREATE TEMP TABLE IF NOT EXISTS syn_village (n int PRIMARY KEY, code varchar(12))"
    )
    cursor.execute("TRUNCATE syn_village")
    cursor.execute(
        "INSERT INTO syn_village SELECT ordinality - 1, code FROM unnest(%s::varchar[]) WITH ORDINALITY AS t(code)",
        [villages],
    )
    cursor.execute(
        "CREATE TEMP TABLE IF NOT EXISTS syn_station (n int PRIMARY KEY, id bigint, code varchar(12))"
    )
    cursor.execute("TRUNCATE syn_station")
    cursor.execute(
        "INSERT INTO syn_station SELECT ordinality - 1, id, code FROM unnest(%s::bigint[], %s::varchar[]) "
        "WITH ORDINALITY AS t(id, code)",
        [[s[0] for s in stations], [s[1] for s in stations]],
    )
    nv, ns = len(villages), len(stations)
    now = datetime.now(UTC)

    have = _count(cursor, "volunteers_volunteer")
    for low in range(have, counts["volunteers"], BATCH_PG):
        high = min(low + BATCH_PG, counts["volunteers"])
        cursor.execute(
            f"""
            INSERT INTO volunteers_volunteer (created_at, updated_at, number, name, sex, birth_date,
              id_number_encrypted, id_number_hash, id_number_masked, phone, skills, languages,
              availability, region_id, political_status, is_party_member, source, consent_at,
              consent_public, is_active, certified_hours)
            SELECT ts, ts, 'S' || lpad(g::text, 9, '0'),
              substr(%(sur)s::text, (1 + g %% {len(SURNAMES)})::int, 1) || substr(%(giv)s::text, (1 + (g / 7) %% {len(GIVEN)})::int, 1)
                || substr(%(giv)s::text, (1 + (g / 3) %% {len(GIVEN)})::int, 1),
              CASE WHEN g %% 2 = 0 THEN 'F' ELSE 'M' END,
              DATE '1960-01-01' + ((g * 37) %% 16000)::int,
              'v1:synthetic', md5(g::text) || md5('x' || g::text), substr(v.code, 1, 6) || '********' || lpad((g %% 10000)::text, 4, '0'),
              '13' || lpad((g %% 1000000000)::text, 9, '0'),
              (ARRAY{SKILLS!r})[(1 + g %% {len(SKILLS)})::int]::jsonb, '普通话',
              CASE WHEN g %% 3 = 0 THEN '[5, 6]' ELSE '[0, 2, 4]' END::jsonb,
              v.code,
              CASE WHEN g %% 5 = 0 THEN 'party_member' WHEN g %% 5 = 1 THEN 'league_member' ELSE 'masses' END,
              g %% 5 = 0, 'organisation', ts, g %% 4 <> 0, g %% 50 <> 0, 0
            FROM generate_series(%(low)s::bigint, %(high)s::bigint - 1) AS g
            JOIN syn_village v ON v.n = (g * 7919) %% {nv}
            CROSS JOIN LATERAL (SELECT %(now)s::timestamptz - ((g * 13) %% 1825) * interval '1 day' AS ts) t
            """,  # noqa: S608
            {"low": low, "high": high, "sur": SURNAMES, "giv": GIVEN, "now": now},
        )
        stdout.write(f"  volunteers {high:,}\n")

    have = _count(cursor, "volunteers_activity")
    for low in range(have, counts["activities"], BATCH_PG):
        high = min(low + BATCH_PG, counts["activities"])
        cursor.execute(
            f"""
            INSERT INTO volunteers_activity (created_at, updated_at, title, description, service_type,
              beneficiaries, organisation_id, site_id, address, region_id, starts_at, ends_at,
              is_brand, brand_name, auto_accept, status, person_in_charge, contact_phone)
            SELECT st, st, (ARRAY{TITLES!r})[(1 + g %% {len(TITLES)})::int] || '（第' || g || '期）', '合成活动',
              (ARRAY{TYPES!r})[(1 + g %% {len(TYPES)})::int], '社区居民', s.id, s.id, '合成地址', s.code,
              st, st + interval '3 hours', g %% 10 = 0, CASE WHEN g %% 10 = 0 THEN '品牌' ELSE '' END,
              true,
              CASE WHEN g %% 20 = 0 THEN 'draft' WHEN g %% 20 = 1 THEN 'cancelled'
                   WHEN st < %(now)s THEN 'completed' ELSE 'published' END,
              '负责人', '020-00000000'
            FROM generate_series(%(low)s::bigint, %(high)s::bigint - 1) AS g
            JOIN syn_station s ON s.n = (g * 104729) %% {ns}
            CROSS JOIN LATERAL (SELECT %(now)s::timestamptz + ((g %% 1155) - 1095) * interval '1 day'
                                       + (g %% 3) * interval '3 hours' AS st) t
            """,  # noqa: S608
            {"low": low, "high": high, "now": now},
        )
        stdout.write(f"  activities {high:,}\n")

    if _count(cursor, "volunteers_shift") == 0:
        cursor.execute(
            """
            INSERT INTO volunteers_shift (activity_id, region_code, title, starts_at, ends_at, capacity,
              required_skills, checkin_code)
            SELECT a.id, a.region_id, k.title, a.starts_at + k.off, a.starts_at + k.off + interval '90 minutes',
              5 + a.id %% 10, '[]'::jsonb, lpad(((a.id * 7 + k.n) %% 1000000)::text, 6, '0')
            FROM volunteers_activity a
            CROSS JOIN (VALUES (0, '上午班', interval '0'), (1, '下午班', interval '90 minutes')) AS k(n, title, off)
            """,
            [],
        )
        stdout.write("  shifts\n")
    if _count(cursor, "volunteers_signup") == 0:
        cursor.execute("SELECT MIN(id), MAX(id) FROM volunteers_volunteer")
        vmin, vmax = cursor.fetchone()
        cursor.execute(
            f"""
            INSERT INTO volunteers_signup (shift_id, volunteer_id, region_code, status, created_at,
              decided_at, checked_in_at, checked_out_at)
            SELECT s.id, {vmin} + (s.id * 7919) %% ({vmax} - {vmin} + 1), s.region_code,
              CASE WHEN s.id %% 11 = 0 THEN 'withdrawn' ELSE 'accepted' END,
              s.starts_at - interval '7 days', s.starts_at - interval '7 days',
              CASE WHEN s.ends_at < now() THEN s.starts_at END,
              CASE WHEN s.ends_at < now() THEN s.ends_at END
            FROM volunteers_shift s
            """,  # noqa: S608
            [],
        )
        stdout.write("  signups\n")

    cursor.execute("SELECT MIN(id), MAX(id) FROM volunteers_volunteer")
    vmin, vmax = cursor.fetchone()
    cursor.execute("SELECT MIN(id), MAX(id) FROM volunteers_activity")
    amin, amax = cursor.fetchone()
    have = _count(cursor, "volunteers_servicerecord")
    # Bulk-load practice: skip per-row FK triggers (rows are consistent by construction) and
    # build the secondary indexes once at the end instead of maintaining them row by row.
    cursor.execute("SET session_replication_role = replica")
    if have < counts["records"]:
        dropped = _drop_indexes(cursor, "volunteers_servicerecord")
    else:
        cursor.execute("SELECT to_regclass('syn_dropped_index') IS NOT NULL")
        pending = cursor.fetchone()[0]
        dropped = _drop_indexes(cursor, "volunteers_servicerecord") if pending else []
    for low in range(have, counts["records"], BATCH_PG):
        high = min(low + BATCH_PG, counts["records"])
        cursor.execute(
            f"""
            INSERT INTO volunteers_servicerecord (created_at, updated_at, volunteer_id, activity_id,
              organisation_id, region_code, activity_name, service_date, place, beneficiaries, content,
              hours, quality_rating, status, source, recorder_name, person_in_charge, confirmed_at)
            SELECT a.starts_at, a.starts_at, {vmin} + (g * 7919) %% ({vmax} - {vmin} + 1), a.id,
              a.organisation_id, a.region_id, a.title, (a.starts_at AT TIME ZONE 'Asia/Shanghai')::date,
              a.address, a.beneficiaries, '合成服务内容', 2 + (g %% 9) * 0.25, 3 + g %% 3,
              CASE WHEN g %% 33 = 0 THEN 'pending' ELSE 'confirmed' END, 'checkin', '记录人', '负责人',
              a.starts_at + interval '1 day'
            FROM generate_series(%(low)s::bigint, %(high)s::bigint - 1) AS g
            JOIN volunteers_activity a ON a.id = {amin} + (g %% ({amax} - {amin} + 1))
            """,  # noqa: S608  # noqa: S608
            {"low": low, "high": high},
        )
        stdout.write(f"  records {high:,}\n")
    for definition in dropped:
        started = time.perf_counter()
        cursor.execute(definition)
        stdout.write(f"  {definition[:60]}… {time.perf_counter() - started:.0f} s\n")
    cursor.execute("DROP TABLE IF EXISTS syn_dropped_index")
    cursor.execute("SET session_replication_role = origin")
    cursor.execute(
        """
        UPDATE volunteers_volunteer v SET certified_hours = t.h
        FROM (SELECT volunteer_id, SUM(hours) AS h FROM volunteers_servicerecord
              WHERE status = 'confirmed' GROUP BY volunteer_id) t
        WHERE v.id = t.volunteer_id AND v.certified_hours <> t.h
        """
    )
    # set hint bits and the visibility map now, so index-only scans work from the first run
    for table in ("volunteers_volunteer", "volunteers_activity", "volunteers_servicerecord"):
        cursor.execute(f"VACUUM ANALYZE {table}")


def _drop_indexes(cursor, table: str) -> list[str]:
    """Drop the table's plain secondary indexes; return their definitions to rebuild them."""
    cursor.execute(
        """
        SELECT i.indexname, i.indexdef FROM pg_indexes i
        WHERE i.tablename = %s AND NOT EXISTS (
          SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)
        """,
        [table],
    )
    found = cursor.fetchall()
    # kept in a table too, so an interrupted run rebuilds them on the next run
    cursor.execute("CREATE TABLE IF NOT EXISTS syn_dropped_index (definition text PRIMARY KEY)")
    for name, definition in found:
        cursor.execute(
            "INSERT INTO syn_dropped_index VALUES (%s) ON CONFLICT DO NOTHING", [definition]
        )
        cursor.execute(f'DROP INDEX IF EXISTS "{name}"')
    cursor.execute("SELECT definition FROM syn_dropped_index")
    return [row[0] for row in cursor.fetchall()]


# ---- SQLite: executemany in batches ------------------------------------------------------------


def _sqlite(cursor, counts, villages, stations, stdout) -> None:
    # Django keeps SQLite datetimes as naive UTC text "YYYY-MM-DD HH:MM:SS.ffffff"
    now = datetime.now(UTC).replace(tzinfo=None)
    nv, ns = len(villages), len(stations)
    have = _count(cursor, "volunteers_volunteer")
    for low in range(have, counts["volunteers"], BATCH_SQLITE):
        rows = []
        for g in range(low, min(low + BATCH_SQLITE, counts["volunteers"])):
            code = villages[(g * 7919) % nv]
            ts = (now - timedelta(days=(g * 13) % 1825)).isoformat(sep=" ")
            rows.append(
                (
                    ts,
                    ts,
                    f"S{g:09d}",
                    SURNAMES[g % len(SURNAMES)] + GIVEN[(g // 7) % len(GIVEN)],
                    "F" if g % 2 == 0 else "M",
                    (date(1960, 1, 1) + timedelta(days=(g * 37) % 16000)).isoformat(),
                    "v1:synthetic",
                    f"{g:064d}",
                    code[:6] + "********" + f"{g % 10000:04d}",
                    f"13{g % 1000000000:09d}",
                    SKILLS[g % len(SKILLS)],
                    "普通话",
                    "[5, 6]" if g % 3 == 0 else "[0, 2, 4]",
                    code,
                    "party_member" if g % 5 == 0 else "masses",
                    g % 5 == 0,
                    "organisation",
                    ts,
                    g % 4 != 0,
                    g % 50 != 0,
                    0,
                )
            )
        cursor.executemany(
            """INSERT INTO volunteers_volunteer (created_at, updated_at, number, name, sex, birth_date,
              id_number_encrypted, id_number_hash, id_number_masked, phone, skills, languages,
              availability, region_id, political_status, is_party_member, source, consent_at,
              consent_public, is_active, certified_hours) VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s)""",
            rows,
        )
        stdout.write(f"  volunteers {low + len(rows):,}\n")
    have = _count(cursor, "volunteers_activity")
    rows = []
    for g in range(have, counts["activities"]):
        sid, code = stations[(g * 104729) % ns]
        st = now + timedelta(days=(g % 1155) - 1095, hours=3 * (g % 3))
        status = (
            "draft"
            if g % 20 == 0
            else "cancelled"
            if g % 20 == 1
            else "completed"
            if st < now
            else "published"
        )
        rows.append(
            (
                st.isoformat(sep=" "),
                st.isoformat(sep=" "),
                f"{TITLES[g % len(TITLES)]}（第{g}期）",
                "合成活动",
                TYPES[g % len(TYPES)],
                "社区居民",
                sid,
                sid,
                "合成地址",
                code,
                st.isoformat(sep=" "),
                (st + timedelta(hours=3)).isoformat(sep=" "),
                g % 10 == 0,
                "品牌" if g % 10 == 0 else "",
                True,
                status,
                "负责人",
                "020-00000000",
            )
        )
    if rows:
        cursor.executemany(
            """INSERT INTO volunteers_activity (created_at, updated_at, title, description, service_type,
              beneficiaries, organisation_id, site_id, address, region_id, starts_at, ends_at,
              is_brand, brand_name, auto_accept, status, person_in_charge, contact_phone)
              VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s)""",
            rows,
        )
    cursor.execute(
        "SELECT id, organisation_id, region_id, title, starts_at FROM volunteers_activity ORDER BY id"
    )
    acts = cursor.fetchall()
    cursor.execute("SELECT MIN(id), MAX(id) FROM volunteers_volunteer")
    vmin, vmax = cursor.fetchone()
    have = _count(cursor, "volunteers_servicerecord")
    for low in range(have, counts["records"], BATCH_SQLITE):
        rows = []
        for g in range(low, min(low + BATCH_SQLITE, counts["records"])):
            aid, org, code, title, st = acts[g % len(acts)]
            st = st if isinstance(st, str) else st.replace(tzinfo=None).isoformat(sep=" ")
            rows.append(
                (
                    st,
                    st,
                    vmin + (g * 7919) % (vmax - vmin + 1),
                    aid,
                    org,
                    code,
                    title,
                    st[:10],
                    "合成地址",
                    "社区居民",
                    "合成服务内容",
                    2 + (g % 9) * 0.25,
                    3 + g % 3,
                    "pending" if g % 33 == 0 else "confirmed",
                    "checkin",
                    "记录人",
                    "负责人",
                    st,
                )
            )
        cursor.executemany(
            """INSERT INTO volunteers_servicerecord (created_at, updated_at, volunteer_id, activity_id,
              organisation_id, region_code, activity_name, service_date, place, beneficiaries, content,
              hours, quality_rating, status, source, recorder_name, person_in_charge, confirmed_at)
              VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s)""",
            rows,
        )
        stdout.write(f"  records {low + len(rows):,}\n")
    cursor.execute("ANALYZE")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=sorted(COUNTS), default="small")
    args = parser.parse_args(argv)
    from bench.synth import setup_django

    setup_django()
    generate(scale=args.scale, stdout=sys.stdout)


if __name__ == "__main__":
    main()
