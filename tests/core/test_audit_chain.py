# ruff: noqa: S608 - SQL written from model table names; values always as parameters
"""Done-when 6 (audit): the log is append-only in the database and tamper-evident by its SM3 hash
chain; an edited, deleted or lost row is found by `shegong audit_verify`; old rows are pruned
only past the retention period and the chain still verifies. Runs on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core import checks
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.test import override_settings
from django.utils import timezone

from shegong.core import auditchain
from shegong.core.audit import audit_record
from shegong.core.models import AuditAnchor, AuditLog, AuditVerification
from tests.audit_guards import guards_suspended

pytestmark = pytest.mark.django_db


def _rows(n: int, **fields) -> list[AuditLog]:
    return [
        audit_record(
            action=AuditLog.Action.REVEAL,
            actor_name=f"worker{i}",
            region_code="440106001001",
            detail={"field": "id_number", "resident": f"张三{i}", "n": i, "share": 0.25},
            **fields,
        )
        for i in range(n)
    ]


def _raw(sql: str, params=()) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _refused(sql: str, params=()) -> bool:
    """True if the database refuses the statement (and leaves the test's transaction usable)."""
    try:
        with transaction.atomic():
            _raw(sql, params)
    except DatabaseError:
        return True
    return False


def test_each_row_holds_the_sm3_hash_of_its_fields_and_of_the_row_before(county_user):
    first, second, third = _rows(3, actor=county_user)
    assert second.seq == first.seq + 1 and third.seq == second.seq + 1
    assert second.prev_hash == first.hash and third.prev_hash == second.hash
    stored = AuditLog.objects.get(pk=second.pk)
    assert stored.hash == auditchain.row_hash(stored)
    assert len(stored.hash) == 64 and auditchain.ALGORITHM == "SM3"
    # The hash covers the content: the same row with another detail hashes differently.
    stored.detail = {**stored.detail, "resident": "李四"}
    assert auditchain.row_hash(stored) != second.hash
    result = auditchain.verify()
    assert result.ok and result.rows == 3 and result.head_hash == third.hash


def test_an_act_that_rolls_back_takes_its_audit_row_with_it():
    _rows(1)
    with pytest.raises(RuntimeError), transaction.atomic():
        _rows(1)
        raise RuntimeError("the act failed")
    _rows(1)
    assert auditchain.verify().ok
    first, second = AuditLog.objects.order_by("seq").values_list("seq", flat=True)
    assert second == first + 1


def test_the_database_refuses_update_and_delete_of_audit_rows():
    row, _later = _rows(2)
    table = AuditLog._meta.db_table
    assert _refused(f"UPDATE {table} SET actor_name = 'someone' WHERE id = %s", [row.pk])
    assert _refused(f"DELETE FROM {table} WHERE id = %s", [row.pk])
    assert _refused(f"DELETE FROM {table}")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditLog.objects.filter(pk=row.pk).update(detail={})
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditLog.objects.filter(pk=row.pk).delete()
    if connection.vendor == "postgresql":
        assert _refused(f"TRUNCATE {table}")
    # A row that did not come through the chain is refused too.
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditLog.objects.create(action="login", seq=999, prev_hash="", hash="")
    assert AuditLog.objects.get(pk=row.pk).actor_name == row.actor_name
    assert AuditLog.objects.count() == 2
    assert auditchain.verify().ok


def test_a_young_row_cannot_be_deleted_even_with_an_anchor_and_raw_sql():
    row, _later = _rows(2)
    # Someone records an anchor covering the row, as the pruning command would...
    AuditAnchor.objects.create(
        last_seq=row.seq, last_hash=row.hash, last_at=row.at, rows=1, retention_days=180
    )
    # ...and the database still refuses: the row is younger than six months.
    assert _refused(f"DELETE FROM {AuditLog._meta.db_table} WHERE id = %s", [row.pk])
    # Anchors themselves cannot be changed or removed.
    assert _refused(f"UPDATE {AuditAnchor._meta.db_table} SET last_seq = 0")
    assert _refused(f"DELETE FROM {AuditAnchor._meta.db_table}")
    assert AuditLog.objects.filter(pk=row.pk).exists()


def test_an_old_row_without_an_anchor_cannot_be_deleted():
    old = auditchain.append(action="login", actor_name="old", at=timezone.now() - timedelta(400))
    assert _refused(f"DELETE FROM {AuditLog._meta.db_table} WHERE id = %s", [old.pk])


def test_verify_finds_an_edited_row(client):
    rows = _rows(5)
    victim = rows[2]
    with guards_suspended():
        _raw(
            f"UPDATE {AuditLog._meta.db_table} SET region_code = %s WHERE id = %s",
            ["441881000000", victim.pk],
        )
    result = auditchain.verify()
    assert not result.ok
    assert (result.broken_seq, result.broken_id) == (victim.seq, victim.pk)
    assert result.problem == AuditVerification.Problem.EDITED
    assert result.rows == 2  # the rows before it hold
    with pytest.raises(CommandError, match="记录被修改") as failed:
        call_command("audit_verify", stdout=StringIO())
    assert f"首个断点链序号 {victim.seq}" in str(failed.value)
    kept = AuditVerification.objects.get()
    assert not kept.ok and kept.broken_seq == victim.seq and kept.problem == "edited"


def test_verify_finds_an_edited_detail_even_with_the_hash_of_that_row_recomputed():
    rows = _rows(4)
    victim = rows[1]
    with guards_suspended():
        forged = AuditLog.objects.get(pk=victim.pk)
        forged.detail = {**forged.detail, "resident": "另一个人"}
        AuditLog.objects.filter(pk=victim.pk).update(
            detail=forged.detail, hash=auditchain.row_hash(forged)
        )
    result = auditchain.verify()
    # The forged row now hashes correctly, but the next row was chained to the original.
    assert not result.ok and result.broken_seq == rows[2].seq
    assert result.problem == AuditVerification.Problem.BROKEN


def test_verify_finds_a_deleted_row():
    rows = _rows(5)
    with guards_suspended():
        _raw(f"DELETE FROM {AuditLog._meta.db_table} WHERE id = %s", [rows[1].pk])
    result = auditchain.verify()
    assert not result.ok
    assert (result.broken_seq, result.broken_id) == (rows[2].seq, rows[2].pk)
    assert result.problem == AuditVerification.Problem.BROKEN
    with pytest.raises(CommandError, match="链接断开"):
        call_command("audit_verify", stdout=StringIO())


def test_verify_finds_a_deleted_first_row_and_lost_rows_at_the_end():
    rows = _rows(4)
    assert auditchain.verify_and_record(run_by="test").ok
    with guards_suspended():
        _raw(f"DELETE FROM {AuditLog._meta.db_table} WHERE id = %s", [rows[0].pk])
    result = auditchain.verify()
    assert not result.ok and result.problem == AuditVerification.Problem.START
    assert result.broken_seq == rows[1].seq

    with guards_suspended():
        _raw(f"DELETE FROM {AuditLog._meta.db_table}")
    _rows(2)  # new rows written after the tail was cut: the chain itself looks whole
    assert auditchain.verify().ok
    kept = auditchain.verify_and_record(run_by="test")
    assert not kept.ok and kept.problem == AuditVerification.Problem.TAIL


def test_verify_reads_in_batches_and_reports_missing_guards():
    _rows(7)
    result = auditchain.verify(batch_size=2)
    assert result.ok and result.rows == 7 and result.missing_guards == []
    with guards_suspended():
        missing = auditchain.verify()
    assert not missing.ok and missing.problem == AuditVerification.Problem.GUARD
    assert "core_auditlog_no_update" in missing.missing_guards
    assert auditchain.verify().ok  # put back


def test_the_verify_command_reports_an_intact_chain():
    rows = _rows(3)
    out = StringIO()
    call_command("audit_verify", stdout=out)
    assert "链完整" in out.getvalue() and rows[-1].hash in out.getvalue()
    kept = AuditVerification.objects.get()
    assert kept.ok and kept.rows == 3 and kept.head_seq == rows[-1].seq


def test_old_rows_are_pruned_past_the_retention_with_an_anchor_and_the_chain_still_verifies():
    now = timezone.now()
    ancient = [
        auditchain.append(action="login", actor_name=f"a{i}", at=now - timedelta(days=400 - i))
        for i in range(3)
    ]
    older = [
        auditchain.append(action="login", actor_name=f"b{i}", at=now - timedelta(days=200 - i))
        for i in range(2)
    ]
    recent = _rows(2)

    result = auditchain.prune(days=365)
    assert result.rows == 3
    assert result.anchors[-1].last_seq == ancient[-1].seq
    assert result.anchors[-1].last_hash == ancient[-1].hash
    assert auditchain.verify().ok

    out = StringIO()
    call_command("audit_prune", stdout=out)  # the setting: 180 days
    assert "已清理 2 条" in out.getvalue()
    left = list(AuditLog.objects.order_by("seq").values_list("pk", flat=True))
    assert not {r.pk for r in ancient + older} & set(left)
    assert left[:2] == [r.pk for r in recent]
    verified = auditchain.verify()
    assert verified.ok and verified.first_seq == older[-1].seq + 1
    # The pruning is itself in the log.
    assert AuditLog.objects.filter(action="other", detail__op="audit_prune").count() == 2


def test_pruning_refuses_a_period_under_six_months():
    auditchain.append(action="login", actor_name="old", at=timezone.now() - timedelta(days=100))
    with pytest.raises(CommandError, match="至少保留 180 天"):
        call_command("audit_prune", "--days", "90", stdout=StringIO())
    with override_settings(SHEGONG_AUDIT_RETENTION_DAYS=90):
        with pytest.raises(CommandError, match="至少保留 180 天"):
            call_command("audit_prune", stdout=StringIO())
        errors = auditchain.check_audit_retention()
        assert [e.id for e in errors] == ["shegong.E012"]
        assert any(e.id == "shegong.E012" for e in checks.run_checks())
    assert AuditLog.objects.count() == 1
    assert auditchain.check_audit_retention() == []


def test_detail_values_read_back_as_they_were_hashed():
    from datetime import date
    from decimal import Decimal

    row = audit_record(
        action="export",
        detail={"day": date(2026, 1, 2), "amount": Decimal("1.50"), "whole": 3.0, "big": 1e17},
        request=type("R", (), {"META": {"REMOTE_ADDR": "::ffff:10.0.0.1"}})(),
    )
    stored = AuditLog.objects.get(pk=row.pk)
    assert stored.detail == {"day": "2026-01-02", "amount": "1.50", "whole": 3, "big": "1e+17"}
    assert auditchain.row_hash(stored) == row.hash
    junk = audit_record(action="login", request=type("R", (), {"META": {"REMOTE_ADDR": "x"}})())
    assert junk.ip is None  # an address that is not one never fails the act it records
    assert auditchain.verify().ok
