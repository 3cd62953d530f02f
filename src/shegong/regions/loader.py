"""Set-based loading of the shipped administrative-division data into `Region`.

The data files (see `data/SOURCE.md`) hold one `code<TAB>name` line per unit, the code at its
natural length. Level comes from the code's length and the parent is the nearest ancestor code that
exists, so a township of a city without counties (东莞市 4419) hangs directly under the city.
Rows are upserted in one transaction: COPY + `INSERT … ON CONFLICT` on PostgreSQL, one
`executemany` upsert on SQLite. Nothing is deleted, so rows that other tables point to survive.
"""

from __future__ import annotations

import lzma
import time
from collections import Counter
from collections.abc import Callable, Container, Iterable
from pathlib import Path
from typing import IO, NamedTuple, TypedDict

from django.db import connection, transaction

from shegong.core.errors import ApplicationError
from shegong.core.scoping import CODE_LENGTH, PREFIX_LENGTH
from shegong.regions.models import NATION_CODE, Level, Region

DATA_DIR = Path(__file__).resolve().parent / "data"
BASE_FILE = DATA_DIR / "divisions-base.tsv.xz"
PROVINCE_DIR = DATA_DIR / "townships-villages"
LEVEL_BY_LENGTH = {length: level for level, length in PREFIX_LENGTH.items() if level > 0}
LOOKUP_BATCH = 500


class PlannedRegion(NamedTuple):
    code: str
    name: str
    level: int
    parent_code: str | None


class LoadResult(TypedDict):
    levels: dict[int, int]  # Level → units in the loaded files
    changed: int  # rows inserted or updated
    seconds: float


def available_provinces() -> list[str]:
    """Two-digit codes of the provinces whose township/village file ships with Shegong."""
    return sorted(p.name.removesuffix(".tsv.xz") for p in PROVINCE_DIR.glob("*.tsv.xz"))


def read_units(path: Path) -> list[tuple[str, str]]:
    """(code, name) pairs of one data file."""
    units: list[tuple[str, str]] = []
    with lzma.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            code, name = line.rstrip("\n").split("\t")
            units.append((code, name))
    return units


def level_of(code: str) -> int:
    """Level of a code at its natural length (2 province … 12 village; all zeros = the nation)."""
    if code == NATION_CODE:
        return int(Level.NATION)
    level = LEVEL_BY_LENGTH.get(len(code))
    if level is None or not code.isdigit():
        raise ValueError(f"not an administrative-division code: {code!r}")
    return level


def plan_regions(
    units: Iterable[tuple[str, str]],
    *,
    existing: Callable[[set[str]], set[str]] | None = None,
) -> list[PlannedRegion]:
    """Rows to write, sorted by 12-digit code, each with its level and parent.

    Where two units share a 12-digit code (county 441900 东莞市 under city 4419 东莞市), the
    shallower one is kept. The parent is the nearest ancestor found among `units` or, failing
    that, in `existing(codes)` (the codes of `codes` already in the database).
    """
    kept: dict[str, tuple[str, int]] = {}
    for code, name in units:
        level, full = level_of(code), code.ljust(CODE_LENGTH, "0")
        if full not in kept or level < kept[full][1]:
            kept[full] = (name, level)

    def nearest(code: str, level: int, known: Container[str], missing: set[str]) -> str | None:
        """The nearest ancestor in `known`; ancestors passed over on the way go into `missing`."""
        for up in range(level - 1, 0, -1):
            candidate = code[: PREFIX_LENGTH[up]].ljust(CODE_LENGTH, "0")
            if candidate == code:  # a unit at that level would share this code: there is none
                continue
            if candidate in known:
                return candidate
            missing.add(candidate)
        if level == Level.NATION:
            return None
        if NATION_CODE in known:
            return NATION_CODE
        missing.add(NATION_CODE)
        return None

    missing: set[str] = set()
    parents = {code: nearest(code, level, kept, missing) for code, (_, level) in kept.items()}
    if missing and existing is not None and (found := existing(missing)):
        known = set(kept) | found
        for code, (_, level) in kept.items():
            if parents[code] != code[: PREFIX_LENGTH[max(level - 1, 0)]].ljust(CODE_LENGTH, "0"):
                parents[code] = nearest(code, level, known, set())

    return [PlannedRegion(code, *kept[code], parents[code]) for code in sorted(kept)]


def existing_codes(codes: set[str]) -> set[str]:
    """Which of `codes` are already in the database."""
    ordered = sorted(codes)
    found: set[str] = set()
    for start in range(0, len(ordered), LOOKUP_BATCH):
        batch = ordered[start : start + LOOKUP_BATCH]
        found.update(Region.objects.filter(code__in=batch).values_list("code", flat=True))
    return found


def load_regions(
    *,
    provinces: list[str] | None = None,
    all_provinces: bool = False,
    stdout: IO[str] | None = None,
) -> LoadResult:
    """Upsert the nation, provinces, cities and counties, plus the townships and villages of
    `provinces` (two-digit codes) or of every province."""
    started = time.perf_counter()
    available = available_provinces()
    if all_provinces:
        chosen = available
    else:
        chosen = sorted(set(provinces or []))
        unknown = [p for p in chosen if p not in available]
        if unknown:
            raise ApplicationError(
                f"没有这些省级代码的乡村数据：{'、'.join(unknown)}（可用：{' '.join(available)}）",
                field="provinces",
            )

    units = read_units(BASE_FILE)
    for province in chosen:
        units.extend(read_units(PROVINCE_DIR / f"{province}.tsv.xz"))
    if stdout is not None:
        stdout.write(f"读取 {1 + len(chosen)} 个数据文件，共 {len(units)} 条，正在写入…\n")
    result = upsert_units(units)
    result["seconds"] = time.perf_counter() - started
    return result


def upsert_units(units: Iterable[tuple[str, str]]) -> LoadResult:
    """Plan `units` ((code, name) pairs, codes at natural length) and upsert them in one go."""
    started = time.perf_counter()
    rows = plan_regions(units, existing=existing_codes)
    if connection.vendor == "postgresql":
        changed = _upsert_postgresql(rows)
    elif connection.vendor == "sqlite":
        changed = _upsert_sqlite(rows)
    else:
        raise ApplicationError(f"不支持的数据库：{connection.vendor}")
    levels = Counter(row.level for row in rows)
    return LoadResult(
        levels={level: levels[level] for level in sorted(levels)},
        changed=changed,
        seconds=time.perf_counter() - started,
    )


def _table() -> tuple[str, str]:
    """Quoted table name and parent column of `Region`."""
    qn = connection.ops.quote_name
    return qn(Region._meta.db_table), qn(Region._meta.get_field("parent").column)


def _upsert_sqlite(rows: list[PlannedRegion]) -> int:
    table, parent = _table()
    # Only the fields the data owns are updated, and only when they differ: a re-run writes nothing.
    sql = (
        f"INSERT INTO {table} (code, name, level, {parent}, urban_rural_class) "  # noqa: S608
        f"VALUES (%s, %s, %s, %s, '') ON CONFLICT(code) DO UPDATE SET "
        f"name = excluded.name, level = excluded.level, {parent} = excluded.{parent} "
        f"WHERE {table}.name IS NOT excluded.name OR {table}.level IS NOT excluded.level "
        f"OR {table}.{parent} IS NOT excluded.{parent}"
    )
    relax = not connection.in_atomic_block  # the safety level cannot change inside a transaction
    with connection.cursor() as cursor:
        if relax:
            cursor.execute("PRAGMA synchronous")
            previous = int(cursor.fetchone()[0])
            cursor.execute("PRAGMA synchronous = OFF")
        try:
            with transaction.atomic():
                cursor.executemany(sql, rows)
                return cursor.rowcount
        finally:
            if relax:
                cursor.execute(f"PRAGMA synchronous = {previous}")


def _upsert_postgresql(rows: list[PlannedRegion]) -> int:
    table, parent = _table()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL synchronous_commit = off")
        cursor.execute("DROP TABLE IF EXISTS pg_temp.region_load")
        cursor.execute(
            "CREATE TEMP TABLE region_load (code varchar(12) NOT NULL, name varchar(100) NOT NULL,"
            " level smallint NOT NULL, parent_code varchar(12))"
        )
        with cursor.copy("COPY region_load (code, name, level, parent_code) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        cursor.execute(
            f"INSERT INTO {table} (code, name, level, {parent}, urban_rural_class) "  # noqa: S608
            f"SELECT code, name, level, parent_code, '' FROM region_load ORDER BY code "
            f"ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, level = EXCLUDED.level, "
            f"{parent} = EXCLUDED.{parent} "
            f"WHERE ({table}.name, {table}.level, {table}.{parent}) "
            f"IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.level, EXCLUDED.{parent})"
        )
        changed = cursor.rowcount
        cursor.execute("DROP TABLE region_load")
        if changed:
            cursor.execute(f"ANALYZE {table}")
    return changed
