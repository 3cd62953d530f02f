"""Time partitioning of the largest append-only tables on PostgreSQL (declarative, by range).

`PARTITIONED` declares which tables are partitioned, by which time column and in what interval;
`NOT_PARTITIONED` says why the other large tables are left plain. On PostgreSQL, migration
`core.0007_time_partitions` converts each declared table (`convert`); the periodic task
`core.tasks.partitions_ensure_task` and `shegong partitions ensure` create the partitions ahead of
time (`ensure`); `shegong partitions detach --before YYYY-MM` detaches old ones for archiving
(`detach`). SQLite keeps plain tables: every function here does nothing there.

PostgreSQL's rules and how they are kept (docs/decisions/0020-time-partitioning.md):
- every primary key and unique constraint includes the partition key: the table's primary key
  becomes (id, <column>) in the database while the Django model keeps `id` as its pk (Django only
  needs the column to be there and unique in practice: it comes from the one sequence);
- no foreign key may point into a partitioned table: `convert` refuses a table that has one;
- the time column is NOT NULL and never updated (creation times, never edited);
- each table has a DEFAULT partition, so an insert never fails for want of a partition.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime

from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, transaction
from django.utils import timezone

logger = logging.getLogger(__name__)

MONTH = "month"
YEAR = "year"
# Partitions that `ensure` keeps ready beyond the current one.
AHEAD = 3


@dataclass(frozen=True)
class Spec:
    table: str
    column: str
    interval: str  # MONTH or YEAR
    what: str  # what the table holds and why it grows


PARTITIONED: tuple[Spec, ...] = (
    Spec("core_auditlog", "at", MONTH, "audit log: every security-relevant act, kept >= 180 days"),
    Spec(
        "people_historicalresident",
        "history_date",
        MONTH,
        "history of residents: one row per change of any of millions of residents",
    ),
    Spec(
        "people_historicalvisit",
        "history_date",
        MONTH,
        "history of visits: one row per visit recorded or changed",
    ),
    Spec(
        "volunteers_historicalservicerecord",
        "history_date",
        MONTH,
        "history of volunteer service records: one row per record written or confirmed",
    ),
    Spec("funds_journalline", "posted_at", MONTH, "ledger lines: two or more per journal entry"),
    Spec(
        "inbox_delivery", "created_at", MONTH, "delivery log: one row per notification per channel"
    ),
    Spec(
        "django_tasks_database_dbtaskresult",
        "enqueued_at",
        MONTH,
        "background task results: one row per task run (heartbeat every minute)",
    ),
)

# Large tables deliberately left plain, and why (a test keeps this list true).
NOT_PARTITIONED: dict[str, str] = {
    "volunteers_servicerecord": (
        "its one-to-one link to a sign-up is a unique constraint on signup_id that must hold "
        "across all time (one record per sign-up), which a partitioned table can only enforce "
        "per partition; and volunteers_recordbeneficiary has a foreign key into it. Its history "
        "table (volunteers_historicalservicerecord) is partitioned instead."
    ),
    "inbox_notification": (
        "the unique constraint notification_once (recipient, key) is what makes a reminder be "
        "sent once; with the partition key added it would hold only within a month. "
        "inbox_delivery has a foreign key into it too. Its delivery log is partitioned instead."
    ),
}


class PartitioningError(Exception):
    """A table that cannot be converted or a partition that cannot be made; the message says why."""


@dataclass(frozen=True)
class Partition:
    name: str
    lower: datetime | None  # None: MINVALUE (the rows from before the conversion), or DEFAULT
    upper: datetime | None
    default: bool
    rows: int  # the planner's estimate (reltuples), -1 if never analysed


def spec_for(table: str) -> Spec:
    for spec in PARTITIONED:
        if spec.table == table:
            return spec
    raise PartitioningError(f"{table} is not a partitioned table (see core.partitioning)")


# ---- periods -----------------------------------------------------------------------------------


def period_start(day: date, interval: str) -> date:
    return date(day.year, 1, 1) if interval == YEAR else date(day.year, day.month, 1)


def next_period(start: date, interval: str) -> date:
    if interval == YEAR:
        return date(start.year + 1, 1, 1)
    return date(start.year + (start.month == 12), start.month % 12 + 1, 1)


def period_name(table: str, start: date, interval: str) -> str:
    return f"{table}_p{start:%Y}" if interval == YEAR else f"{table}_p{start:%Y%m}"


def _bound(day: date) -> str:
    """A period's first instant, local time (the deployment's TIME_ZONE), as a SQL literal."""
    return "'" + timezone.make_aware(datetime(day.year, day.month, day.day)).isoformat() + "'"


def _today(today: date | None) -> date:
    return today or timezone.localdate()


# ---- catalogue ---------------------------------------------------------------------------------


def _connection(using: str | None):
    return connections[using or DEFAULT_DB_ALIAS]


def is_partitioned(cursor, table: str) -> bool:
    cursor.execute(
        "SELECT 1 FROM pg_partitioned_table p JOIN pg_class c ON c.oid = p.partrelid "
        "WHERE c.relname = %s AND pg_table_is_visible(c.oid)",
        [table],
    )
    return cursor.fetchone() is not None


def incoming_foreign_keys(cursor, table: str) -> list[tuple[str, str]]:
    """(table, constraint) of every foreign key that points into `table`."""
    cursor.execute(
        "SELECT conrelid::regclass::text, conname FROM pg_constraint "
        "WHERE contype = 'f' AND confrelid = %s::regclass ORDER BY 1, 2",
        [table],
    )
    return cursor.fetchall()


_BOUND = re.compile(r"FROM \((.+)\) TO \((.+)\)")


def _parse_bound(text: str) -> datetime | None:
    if text == "MINVALUE" or text == "MAXVALUE":
        return None
    return datetime.fromisoformat(text.strip("'"))


def partitions(table: str, *, using: str | None = None) -> list[Partition]:
    """The partitions of `table` in order (DEFAULT last); empty where it is not partitioned."""
    connection = _connection(using)
    if connection.vendor != "postgresql":
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, pg_get_expr(c.relpartbound, c.oid), c.reltuples::bigint "
            "FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
            "WHERE i.inhparent = to_regclass(%s)",
            [table],
        )
        rows = cursor.fetchall()
    found = []
    for name, bound, tuples in rows:
        if bound == "DEFAULT":
            found.append(Partition(name, None, None, True, tuples))
            continue
        lower, upper = _BOUND.search(bound).groups()
        found.append(Partition(name, _parse_bound(lower), _parse_bound(upper), False, tuples))
    return sorted(found, key=lambda p: (p.default, p.lower or datetime.min.replace(tzinfo=UTC)))


# ---- making partitions -------------------------------------------------------------------------


def _create_partition(cursor, spec: Spec, start: date) -> str | None:
    """The partition for the period starting at `start`, unless one covers it already."""
    name = period_name(spec.table, start, spec.interval)
    cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [name])
    if cursor.fetchone()[0]:
        return None
    end = next_period(start, spec.interval)
    cursor.execute(
        f'CREATE TABLE "{name}" PARTITION OF "{spec.table}" '  # noqa: S608 (names are ours)
        f"FOR VALUES FROM ({_bound(start)}) TO ({_bound(end)})"
    )
    return name


def _ensure_table(cursor, spec: Spec, today: date, ahead: int) -> list[str]:
    made = []
    start = period_start(today, spec.interval)
    covered = [p for p in partitions_on(cursor, spec.table) if not p.default]
    for _ in range(ahead + 1):
        end = next_period(start, spec.interval)
        lower, upper = _aware(start), _aware(end)
        # A period already inside another partition (the rows from before the conversion).
        if not any(
            (p.lower is None or p.lower < upper) and (p.upper is None or p.upper > lower)
            for p in covered
        ):
            name = _create_partition(cursor, spec, start)
            if name:
                made.append(name)
        start = end
    return made


def partitions_on(cursor, table: str) -> list[Partition]:
    return partitions(table, using=cursor.db.alias)


def _aware(day: date) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day))


def ensure(*, today: date | None = None, ahead: int = AHEAD, using: str | None = None) -> list[str]:
    """Create the partitions of the current period and the next `ahead` ones for every declared
    table that is partitioned; the names created (none on SQLite)."""
    connection = _connection(using)
    if connection.vendor != "postgresql":
        return []
    today = _today(today)
    made = []
    with connection.cursor() as cursor:
        for spec in PARTITIONED:
            try:
                with transaction.atomic(using=connection.alias):
                    if is_partitioned(cursor, spec.table):
                        made += _ensure_table(cursor, spec, today, ahead)
            except DatabaseError:
                # Typically: the DEFAULT partition holds rows of the month to be made (the task
                # did not run for months). The other tables go on; docs/deployment.md says how
                # to move the rows.
                logger.exception("partitions of %s not made", spec.table)
    return made


# ---- archiving ---------------------------------------------------------------------------------


def detach(
    table: str,
    *,
    before: date,
    today: date | None = None,
    using: str | None = None,
    dry_run: bool = False,
) -> list[str]:
    """Detach every partition of `table` that ends on or before `before` (never the DEFAULT
    one, never the current period): each becomes a plain table of that name, to be dumped
    (`pg_dump -t`) and dropped by the operator. The names detached.

    The audit log is not detached this way: its rows leave only through `shegong audit_prune`,
    which records the pruning anchor that keeps the hash chain verifiable."""
    spec = spec_for(table)
    if spec.table == "core_auditlog":
        raise PartitioningError(
            "core_auditlog is pruned by `shegong audit_prune` (an anchor keeps the chain "
            "verifiable), never detached"
        )
    connection = _connection(using)
    if connection.vendor != "postgresql":
        return []
    cutoff = _aware(before)
    current = _aware(period_start(_today(today), spec.interval))
    old = [
        p
        for p in partitions(table, using=connection.alias)
        if not p.default and p.upper is not None and p.upper <= min(cutoff, current)
    ]
    if dry_run:
        return [p.name for p in old]
    # CONCURRENTLY is not allowed while the table has a DEFAULT partition (PostgreSQL's rule),
    # and we keep one so an insert never fails: a plain DETACH changes only the catalogue and
    # holds its lock for that moment.
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        for partition in old:
            cursor.execute(f'ALTER TABLE "{table}" DETACH PARTITION "{partition.name}"')
    return [p.name for p in old]


def status(*, using: str | None = None) -> Iterable[tuple[Spec, bool, list[Partition]]]:
    """Each declared table, whether it is partitioned, and its partitions."""
    connection = _connection(using)
    for spec in PARTITIONED:
        if connection.vendor != "postgresql":
            yield spec, False, []
            continue
        with connection.cursor() as cursor:
            done = is_partitioned(cursor, spec.table)
        yield spec, done, partitions(spec.table, using=connection.alias) if done else []


# The migration path (convert a plain table in place, and back) lives beside this module.
from shegong.core.partitioning.convert import (  # noqa: E402
    convert,
    convert_all,
    unconvert,
    unconvert_all,
)

__all__ = [
    "AHEAD",
    "MONTH",
    "NOT_PARTITIONED",
    "PARTITIONED",
    "YEAR",
    "Partition",
    "PartitioningError",
    "Spec",
    "convert",
    "convert_all",
    "detach",
    "ensure",
    "incoming_foreign_keys",
    "is_partitioned",
    "partitions",
    "spec_for",
    "status",
    "unconvert",
    "unconvert_all",
]
