"""The nightly verification of the audit log's hash chain (django-tasks, 02:30; see
`shegong.core.schedule`). Its result is shown on the audit log page."""

from __future__ import annotations

from datetime import time

from django_tasks import task

from shegong.core.schedule import book_next

VERIFY_AT = time(2, 30)


@task()
def audit_verify_task(reschedule: bool = True) -> dict:
    from shegong.core.auditchain import verify_and_record

    result = verify_and_record(run_by="audit_verify_task")
    if reschedule:
        book_next(audit_verify_task, VERIFY_AT)
    return {"ok": result.ok, "rows": result.rows, "broken_seq": result.broken_seq}


DAILY = [(audit_verify_task, VERIFY_AT)]
