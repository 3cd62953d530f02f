# ruff: noqa: S608 - SQL written from the declared table names; values always as parameters
"""Issue 18, Done-when 4: on PostgreSQL the largest append-only tables are partitioned by time
(read from the catalogue), the partitions ahead are made for a given day, rows written through
the ORM land in the partition of their time, old partitions detach for archiving, the audit chain
still verifies across partitions, and the migration path converts a plain table that holds rows.
On SQLite the tables stay plain. The day is always passed in, never read from the clock."""

from __future__ import annotations

from datetime import UTC, date, datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from shegong.core import auditchain, partitioning
from shegong.core.models import AuditLog
from shegong.core.partitioning import (
    MONTH,
    NOT_PARTITIONED,
    PARTITIONED,
    PartitioningError,
    Spec,
)

pytestmark = pytest.mark.django_db

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="declarative partitioning is PostgreSQL's; SQLite keeps plain tables (tested below)",
)
on_sqlite = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="the plain-table check is for SQLite"
)

TODAY = date(2031, 5, 17)  # far from the real clock: every partition of it is made by the test


def _one(sql: str, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()


def _all(sql: str, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _where(table: str, column: str, value) -> str:
    """The partition a row of `table` with `column` = value sits in."""
    return _one(f'SELECT tableoid::regclass::text FROM "{table}" WHERE "{column}" = %s', [value])[0]


def _local(y: int, m: int, d: int, h: int = 12) -> datetime:
    from django.utils import timezone

    return timezone.make_aware(datetime(y, m, d, h))


@on_postgresql
def test_each_declared_table_is_partitioned_by_its_time_column_with_a_default_partition():
    for spec in PARTITIONED:
        row = _one(
            "SELECT p.partstrat, a.attname FROM pg_partitioned_table p "
            "JOIN pg_attribute a ON a.attrelid = p.partrelid AND a.attnum = p.partattrs[0] "
            "WHERE p.partrelid = %s::regclass",
            [spec.table],
        )
        assert row == ("r", spec.column), spec.table  # range, on the declared column
        children = _all(
            "SELECT c.relname, pg_get_expr(c.relpartbound, c.oid) FROM pg_inherits i "
            "JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = %s::regclass",
            [spec.table],
        )
        bounds = dict(children)
        assert bounds[f"{spec.table}_default"] == "DEFAULT"
        assert any("MINVALUE" in b for b in bounds.values())  # the rows from before
        # Every unique index holds the partition key; nothing points into the table.
        for (definition,) in _all(
            "SELECT pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = %s::regclass AND contype IN ('p', 'u')",
            [spec.table],
        ):
            assert spec.column in definition, (spec.table, definition)
        assert partitioning.incoming_foreign_keys(connection.cursor(), spec.table) == []


@on_postgresql
def test_the_tables_left_plain_are_plain_and_their_reason_holds():
    for table in NOT_PARTITIONED:
        assert _one("SELECT relkind FROM pg_class WHERE relname = %s", [table]) == ("r",)
    # The reasons: a foreign key into each, and a unique constraint a partition key would weaken.
    assert partitioning.incoming_foreign_keys(connection.cursor(), "volunteers_servicerecord")
    assert partitioning.incoming_foreign_keys(connection.cursor(), "inbox_notification")
    with pytest.raises(PartitioningError, match="foreign keys point into it"):
        partitioning.convert(Spec("volunteers_servicerecord", "created_at", MONTH, ""))


@on_postgresql
def test_ensure_makes_this_month_and_the_next_three_once():
    made = partitioning.ensure(today=TODAY)
    expected = {
        f"{spec.table}_p{month}"
        for spec in PARTITIONED
        for month in (203105, 203106, 203107, 203108)
    }
    assert set(made) == expected
    assert partitioning.ensure(today=TODAY) == []  # the next night: nothing new
    names = [p.name for p in partitioning.partitions("core_auditlog")]
    assert names[-5:] == [f"core_auditlog_p{m}" for m in (203105, 203106, 203107, 203108)] + [
        "core_auditlog_default"
    ]
    june = next(p for p in partitioning.partitions("core_auditlog") if p.name.endswith("203106"))
    assert (june.lower, june.upper) == (_local(2031, 6, 1, 0), _local(2031, 7, 1, 0))
    # Months already inside the first partition (before the conversion) are not made again.
    assert not partitioning.ensure(today=date(2020, 1, 1))


@on_postgresql
def test_a_month_whose_rows_already_sit_in_the_default_partition_does_not_stop_the_others(caplog):
    stray = auditchain.append(action=AuditLog.Action.OTHER, actor_name="s", at=_local(2031, 6, 2))
    assert _where("core_auditlog", "id", stray.pk) == "core_auditlog_default"
    made = partitioning.ensure(today=TODAY)
    assert "core_auditlog_p203106" not in made  # PostgreSQL refuses: June's row is in DEFAULT
    assert "funds_journalline_p203106" in made  # the other tables got theirs
    assert "partitions of core_auditlog not made" in caplog.text
    assert auditchain.verify().ok


@on_postgresql
def test_rows_written_through_the_orm_land_in_the_partition_of_their_time_and_the_chain_verifies():
    partitioning.ensure(today=TODAY)
    now_row = auditchain.append(action=AuditLog.Action.OTHER, actor_name="a")
    may = auditchain.append(action=AuditLog.Action.OTHER, actor_name="b", at=_local(2031, 5, 31))
    june = auditchain.append(action=AuditLog.Action.OTHER, actor_name="c", at=_local(2031, 6, 1, 0))
    later = auditchain.append(action=AuditLog.Action.OTHER, actor_name="d", at=_local(2040, 1, 1))
    assert "_p_before" in _where("core_auditlog", "id", now_row.pk)
    assert _where("core_auditlog", "id", may.pk) == "core_auditlog_p203105"
    assert _where("core_auditlog", "id", june.pk) == "core_auditlog_p203106"
    assert _where("core_auditlog", "id", later.pk) == "core_auditlog_default"  # never fails
    assert len({now_row.pk, may.pk, june.pk, later.pk}) == 4  # one sequence for every partition
    assert AuditLog.objects.get(pk=june.pk).actor_name == "c"  # the ORM finds it by id alone
    result = auditchain.verify()
    assert result.ok, result.problem
    assert result.head_seq == later.seq and result.missing_guards == []


@on_postgresql
def test_the_guards_of_the_audit_log_hold_in_every_partition():
    partitioning.ensure(today=TODAY)
    row = auditchain.append(action=AuditLog.Action.OTHER, actor_name="x", at=_local(2031, 6, 2))
    from django.db import DatabaseError, transaction

    for sql in (
        "UPDATE core_auditlog SET actor_name = 'y' WHERE id = %s",
        "UPDATE core_auditlog_p203106 SET actor_name = 'y' WHERE id = %s",
        "DELETE FROM core_auditlog_p203106 WHERE id = %s",
    ):
        with pytest.raises(DatabaseError), transaction.atomic():
            _one(sql + " RETURNING id", [row.pk])
    with pytest.raises(DatabaseError), transaction.atomic():
        _one("TRUNCATE core_auditlog")
    with pytest.raises(PartitioningError, match="audit_prune"):
        partitioning.detach("core_auditlog", before=date(2031, 7, 1), today=TODAY)


@on_postgresql
def test_old_partitions_detach_for_archiving_and_their_rows_leave_the_table():
    from django_tasks_db.models import DBTaskResult

    partitioning.ensure(today=TODAY)
    fields = {
        "status": "SUCCESSFUL",
        "args_kwargs": {"args": [], "kwargs": {}},
        "task_path": "shegong.ops.tasks.worker_heartbeat_task",
        "queue_name": "default",
        "backend_name": "default",
        "run_after": _local(2031, 5, 1),
        "exception_class_path": "",
        "traceback": "",
    }
    rows = [DBTaskResult.objects.create(**fields) for _ in range(3)]
    table = DBTaskResult._meta.db_table
    # enqueued_at is set on creation; put the rows in May and June 2031 (rows move partitions).
    DBTaskResult.objects.filter(pk=rows[0].pk).update(enqueued_at=_local(2031, 5, 3))
    DBTaskResult.objects.filter(pk=rows[1].pk).update(enqueued_at=_local(2031, 6, 3))
    assert _where(table, "id", rows[0].pk) == f"{table}_p203105"
    before = DBTaskResult.objects.count()

    in_june = date(2031, 6, 10)  # May is over: it may go
    planned = partitioning.detach(table, before=date(2031, 6, 1), today=in_june, dry_run=True)
    assert f"{table}_p203105" in planned and f"{table}_p203106" not in planned
    assert DBTaskResult.objects.count() == before  # a dry run detaches nothing
    detached = partitioning.detach(table, before=date(2031, 6, 1), today=in_june)
    assert detached == planned
    assert not DBTaskResult.objects.filter(pk=rows[0].pk).exists()  # May's row left the table
    assert not DBTaskResult.objects.filter(pk=rows[2].pk).exists()  # and this month's (2026)
    assert DBTaskResult.objects.filter(pk=rows[1].pk).exists()  # June stays
    out = StringIO()
    call_command("partitions", "list", stdout=out)
    assert f"{table}_p203106" in out.getvalue() and f"{table}_p203105" not in out.getvalue()
    # The detached partition is a plain table holding May's row, ready to dump and drop.
    assert _one(f'SELECT count(*) FROM "{table}_p203105"') == (1,)
    assert _one("SELECT relispartition FROM pg_class WHERE relname = %s", [f"{table}_p203105"]) == (
        False,
    )
    # The current month is never detached, whatever --before says.
    assert f"{table}_p203106" not in partitioning.detach(
        table, before=date(2031, 9, 1), today=in_june, dry_run=True
    )


@on_postgresql
def test_the_migration_path_converts_a_plain_table_with_rows_in_place():
    """What core.0007 does to each table of an existing database, on a table made for the test."""
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE partitions_probe (id bigint GENERATED BY DEFAULT AS IDENTITY "
            "PRIMARY KEY, at timestamptz NOT NULL, note text NOT NULL, "
            "CONSTRAINT probe_note UNIQUE (note), CONSTRAINT probe_note_set CHECK (note <> ''))"
        )
        cursor.execute("CREATE INDEX probe_at ON partitions_probe (at)")
        cursor.executemany(
            "INSERT INTO partitions_probe (at, note) VALUES (%s, %s)",
            [(_local(2029, m, 10), f"n{m}") for m in (1, 2, 3)],
        )
    spec = Spec("partitions_probe", "at", MONTH, "test")
    assert partitioning.convert(spec, today=TODAY) is True
    assert partitioning.convert(spec, today=TODAY) is False  # once
    names = [p.name for p in partitioning.partitions("partitions_probe")]
    assert names == [
        "partitions_probe_p_before203106",
        "partitions_probe_p203106",
        "partitions_probe_p203107",
        "partitions_probe_p203108",
        "partitions_probe_default",
    ]
    # The old rows stayed where they were (the old table is the first partition).
    assert _all("SELECT tableoid::regclass::text, note FROM partitions_probe ORDER BY id") == [
        ("partitions_probe_p_before203106", "n1"),
        ("partitions_probe_p_before203106", "n2"),
        ("partitions_probe_p_before203106", "n3"),
    ]
    # Keys now hold the partition key; the identity goes on after the old ids; checks are kept.
    constraints = dict(
        _all(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = 'partitions_probe'::regclass"
        )
    )
    assert constraints["partitions_probe_pkey"] == "PRIMARY KEY (id, at)"
    assert constraints["probe_note"] == "UNIQUE (note, at)"
    assert constraints["probe_note_set"] == "CHECK ((note <> ''::text))"
    new_id = _one(
        "INSERT INTO partitions_probe (at, note) VALUES (%s, 'n4') RETURNING id, tableoid::regclass",
        [_local(2031, 7, 4)],
    )
    assert new_id == (4, "partitions_probe_p203107")
    assert _one("SELECT 1 FROM pg_indexes WHERE indexname = 'probe_at'") == (1,)
    # And back (the migration's reverse): one plain table, every row, the keys as they were.
    assert partitioning.unconvert(spec) is True
    assert _one("SELECT relkind FROM pg_class WHERE relname = 'partitions_probe'") == ("r",)
    assert _one("SELECT count(*) FROM partitions_probe") == (4,)
    assert _one(
        "SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conname = 'probe_note'"
    ) == ("UNIQUE (note)",)
    assert _one("INSERT INTO partitions_probe (at, note) VALUES (now(), 'n5') RETURNING id") == (5,)


@on_sqlite
def test_on_sqlite_the_tables_stay_plain_and_nothing_is_made():
    for spec in PARTITIONED:
        assert _one(
            "SELECT type FROM sqlite_master WHERE name = %s AND type = 'table'", [spec.table]
        ) == ("table",)
        made = _one(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' "
            "AND (name GLOB %s OR name = %s)",
            [f"{spec.table}_p[0-9_]*", f"{spec.table}_default"],
        )
        assert made == (0,), spec.table
    assert partitioning.ensure(today=TODAY) == []
    assert partitioning.partitions("core_auditlog") == []
    assert partitioning.convert(PARTITIONED[0], today=TODAY) is False
    out = StringIO()
    call_command("partitions", "list", stdout=out)
    assert "SQLite" in out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_a_transactional_test_flushes_the_partitioned_tables():
    """The runner's flush after this test (TRUNCATE on PostgreSQL) empties the partitioned audit
    log with its guards set aside, and the next test starts clean."""
    auditchain.append(action=AuditLog.Action.OTHER, actor_name="flush", at=datetime.now(UTC))
    assert AuditLog.objects.filter(actor_name="flush").count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_flush_left_no_audit_row():
    assert not AuditLog.objects.filter(actor_name="flush").exists()
