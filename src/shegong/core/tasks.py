"""The nightly verification of the audit log's hash chain (django-tasks, 02:30; see
`shegong.core.schedule`; its result is shown on the audit log page) and the nightly making of
the partitions ahead of time on PostgreSQL (03:10; `shegong.core.partitioning`)."""

from __future__ import annotations

from datetime import time

from django_tasks import task

from shegong.core.schedule import book_next

VERIFY_AT = time(2, 30)
PARTITIONS_AT = time(3, 10)


@task()
def audit_verify_task(reschedule: bool = True) -> dict:
    from shegong.core.auditchain import verify_and_record

    result = verify_and_record(run_by="audit_verify_task")
    if reschedule:
        book_next(audit_verify_task, VERIFY_AT)
    return {"ok": result.ok, "rows": result.rows, "broken_seq": result.broken_seq}


@task()
def partitions_ensure_task(reschedule: bool = True) -> list[str]:
    """The partitions of this month and the next three for every partitioned table (none made
    where they exist; nothing on SQLite). Run nightly, so a month's partition exists about three
    months before its first row; a run missed for weeks still leaves the DEFAULT partition to
    take the rows."""
    from shegong.core.partitioning import ensure

    made = ensure()
    if reschedule:
        book_next(partitions_ensure_task, PARTITIONS_AT)
    return made


DAILY = [(audit_verify_task, VERIFY_AT), (partitions_ensure_task, PARTITIONS_AT)]
