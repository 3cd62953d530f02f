# ruff: noqa: S608 - SQL written from model table names; values always as parameters
"""The chain under concurrent writers (PostgreSQL, threads) and the migration that chains the rows
written before it existed."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections, transaction
from django.db.migrations.executor import MigrationExecutor

from shegong.core import auditchain
from shegong.core.audit import audit_record
from shegong.core.models import AuditLog

THREADS = 16
APPENDS_PER_THREAD = 12


@pytest.mark.postgres
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="concurrent writers need PostgreSQL (SQLite serialises all writers); "
    "CI runs this suite on PostgreSQL too",
)
@pytest.mark.django_db(transaction=True)
def test_concurrent_appends_keep_one_unbroken_chain(transactional_db, county_user):
    barrier = threading.Barrier(THREADS)
    errors: list[str] = []

    def worker(n: int) -> None:
        try:
            barrier.wait(timeout=30)
            for i in range(APPENDS_PER_THREAD):
                if i % 3 == 0:
                    # Two acts in one transaction, with work between them.
                    with transaction.atomic():
                        audit_record(action="export", actor=county_user, detail={"t": n, "i": i})
                        AuditLog.objects.filter(actor_name="nobody").exists()
                        audit_record(action="import", actor=county_user, detail={"t": n, "i": i})
                else:
                    audit_record(action="reveal", actor=county_user, detail={"t": n, "i": i})
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    expected = THREADS * (APPENDS_PER_THREAD + APPENDS_PER_THREAD // 3)
    seqs = list(AuditLog.objects.order_by("seq").values_list("seq", flat=True))
    assert len(seqs) == expected
    assert seqs == list(range(seqs[0], seqs[0] + expected))  # no fork, no gap
    result = auditchain.verify(batch_size=50)
    assert result.ok and result.rows == expected


@pytest.mark.django_db(transaction=True)
def test_the_migration_chains_rows_written_before_the_chain(transactional_db):
    """Rows from before the chain are chained oldest first and then verify."""
    executor = MigrationExecutor(connection)
    chain_migration = executor.loader.get_migration("core", "0003_audit_hash_chain")
    before = [dep for dep in chain_migration.dependencies if dep[0] == "core"]
    latest = executor.loader.graph.leaf_nodes("core")
    executor.migrate(before)
    try:
        table = AuditLog._meta.db_table
        with connection.cursor() as cursor:
            for day, actor in ((3, "third"), (1, "first"), (2, "second")):
                cursor.execute(
                    f"INSERT INTO {table} (at, actor_name, action, object_type, object_id,"
                    " region_code, detail, ip) VALUES (%s, %s, 'login', '', '', '440106000000',"
                    " %s, NULL)",
                    [f"2026-01-0{day} 08:00:00+00:00", actor, '{"n": 1.0, "名": "张三"}'],
                )
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(latest)
    rows = list(AuditLog.objects.order_by("seq").values_list("actor_name", "seq"))
    assert rows == [("first", 1), ("second", 2), ("third", 3)]
    assert auditchain.verify().ok
    assert auditchain.missing_guards() == []
    audit_record(action="login", actor_name="after")
    assert auditchain.verify().rows == 4
