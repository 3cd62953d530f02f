"""Tests only: set the audit log's guard triggers aside and put them back.

The database refuses UPDATE and DELETE of audit rows (migration core.0005). A test that simulates
tampering drops the guard first (`guards_suspended`), as an attacker with the database owner's
rights would; and the flush that ends every transactional test (`TRUNCATE` on PostgreSQL,
`DELETE FROM` on SQLite) sets them aside for its own statements only (`allow_test_flush`).
"""

from __future__ import annotations

from contextlib import contextmanager

from django.db import connection as default_connection

TABLES = ("core_auditlog", "core_auditanchor")

# SQLite has no "disable trigger": the definitions are read before they are dropped.
_sqlite_triggers: dict[str, list[tuple[str, str]]] = {}


def _sqlite_definitions(connection) -> list[tuple[str, str]]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
            "AND tbl_name IN ('core_auditlog', 'core_auditanchor') ORDER BY name"
        )
        return cursor.fetchall()


def suspend_sql(connection) -> list[str]:
    if connection.vendor == "sqlite":
        found = _sqlite_definitions(connection)
        if found:
            _sqlite_triggers[connection.alias] = found
        saved = _sqlite_triggers.get(connection.alias, [])
        return [f'DROP TRIGGER IF EXISTS "{name}"' for name, _sql in saved]
    # ALTER TABLE refuses while the transaction has deferred foreign-key checks pending.
    return [
        "SET CONSTRAINTS ALL IMMEDIATE",
        *(f"ALTER TABLE {table} DISABLE TRIGGER USER" for table in TABLES),
    ]


def restore_sql(connection) -> list[str]:
    """Run after `suspend_sql`'s statements: every guard back as it was."""
    if connection.vendor == "sqlite":
        return [sql for _name, sql in _sqlite_triggers.get(connection.alias, [])]
    return [
        "SET CONSTRAINTS ALL IMMEDIATE",
        *(f"ALTER TABLE {table} ENABLE TRIGGER USER" for table in TABLES),
        "SET CONSTRAINTS ALL DEFERRED",
    ]


@contextmanager
def guards_suspended(connection=default_connection):
    """Inside: the database no longer refuses UPDATE/DELETE of audit rows."""
    with connection.cursor() as cursor:
        for sql in suspend_sql(connection):
            cursor.execute(sql)
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            for sql in restore_sql(connection):
                cursor.execute(sql)


def allow_test_flush() -> None:
    """Let the test runner's flush empty the audit tables (and put the guards back after)."""
    from django.db import connections

    for alias in connections:
        ops = type(connections[alias].ops)
        if getattr(ops.sql_flush, "audit_guards_aside", False):
            continue
        original = ops.sql_flush

        def sql_flush(self, style, tables, *args, _original=original, **kwargs):
            statements = _original(self, style, tables, *args, **kwargs)
            if not set(TABLES) & set(tables):
                return statements
            # Put back right after the flush, in the same transaction.
            aside = suspend_sql(self.connection)
            return [*aside, *statements, *restore_sql(self.connection)]

        sql_flush.audit_guards_aside = True
        ops.sql_flush = sql_flush
