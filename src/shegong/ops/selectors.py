"""Reads of the operations app: the readiness checks and the figures the metrics endpoint
computes when scraped (task queue, last deadline sweep, sign-in failures). System figures only:
no row of any jurisdiction leaves here, only counts, ages and durations."""

from __future__ import annotations

import os
import shutil
import time
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import connection
from django.utils import timezone

from shegong.ops.models import WorkerHeartbeat

SWEEP_TASK = "shegong.petitions.tasks.deadline_sweep_task"
_migrations_applied_at = 0.0  # per process: once applied, checked again after a minute


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str


def _database() -> Check:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # noqa: BLE001 - any failure to reach the database is "not ready"
        return Check("database", False, type(exc).__name__)
    return Check("database", True, connection.vendor)


def _migrations() -> Check:
    global _migrations_applied_at
    if time.monotonic() - _migrations_applied_at < 60:
        return Check("migrations", True, "applied")
    from django.db.migrations.executor import MigrationExecutor

    try:
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except Exception as exc:  # noqa: BLE001 - a database that cannot be read is "not ready"
        return Check("migrations", False, type(exc).__name__)
    if plan:
        return Check("migrations", False, f"{len(plan)} not applied")
    _migrations_applied_at = time.monotonic()
    return Check("migrations", True, "applied")


def last_heartbeat() -> datetime | None:
    return WorkerHeartbeat.objects.order_by("-beat_at").values_list("beat_at", flat=True).first()


def _worker(now: datetime) -> Check:
    stale = settings.SHEGONG_HEARTBEAT_STALE_SECONDS
    try:
        beat = last_heartbeat()
    except Exception as exc:  # noqa: BLE001 - reported by the database check
        return Check("worker", False, type(exc).__name__)
    if beat is None:
        return Check("worker", False, "no heartbeat")
    age = (now - beat).total_seconds()
    return Check("worker", age <= stale, f"last heartbeat {age:.0f} s ago (limit {stale} s)")


def _disk() -> Check:
    path = settings.MEDIA_ROOT
    while not os.path.exists(path):  # before the first upload: the nearest parent
        path = os.path.dirname(str(path))
    usage = shutil.disk_usage(path)
    free_mb = usage.free // (1024 * 1024)
    needed = settings.SHEGONG_MIN_FREE_DISK_MB
    return Check("disk", free_mb >= needed, f"{free_mb} MB free (limit {needed} MB)")


def readiness(*, now: datetime | None = None) -> list[Check]:
    """Database reachable, migrations applied, a fresh worker heartbeat, disk space."""
    now = now or timezone.now()
    database = _database()
    checks = [database, _disk()]
    if database.ok:
        checks[1:1] = [_migrations(), _worker(now)]
    else:
        checks[1:1] = [
            Check("migrations", False, "database unreachable"),
            Check("worker", False, "database unreachable"),
        ]
    return checks


def replicas() -> list:
    """Each read replica's state (in use, lag), as last checked (core/dbrouting); none without
    replicas."""
    from shegong.core import dbrouting

    if not dbrouting.replica_aliases():
        return []
    return dbrouting.replica_states()


@dataclass(frozen=True)
class QueueFigures:
    waiting: int
    oldest_wait_seconds: float
    running: int
    failed_last_day: int


def queue_figures(*, now: datetime | None = None) -> QueueFigures:
    """Tasks due and not started (a booked run in the future is not waiting), the age of the
    oldest, tasks running, and tasks failed in the last 24 hours."""
    from datetime import timedelta

    from django.db.models import Count, Min, Q
    from django_tasks_db.models import DBTaskResult

    now = now or timezone.now()
    figures = DBTaskResult.objects.aggregate(
        waiting=Count("id", filter=Q(status="READY", run_after__lte=now)),
        oldest=Min("run_after", filter=Q(status="READY", run_after__lte=now)),
        running=Count("id", filter=Q(status="RUNNING")),
        failed=Count("id", filter=Q(status="FAILED", finished_at__gte=now - timedelta(days=1))),
    )
    oldest = figures["oldest"]
    return QueueFigures(
        waiting=figures["waiting"],
        oldest_wait_seconds=(now - oldest).total_seconds() if oldest else 0.0,
        running=figures["running"],
        failed_last_day=figures["failed"],
    )


def last_sweep_seconds() -> float | None:
    """How long the last finished deadline sweep took."""
    from django_tasks_db.models import DBTaskResult

    run = (
        DBTaskResult.objects.filter(
            task_path=SWEEP_TASK, status="SUCCESSFUL", started_at__isnull=False
        )
        .order_by("-finished_at")
        .values_list("started_at", "finished_at")
        .first()
    )
    if run is None or run[1] is None:
        return None
    return (run[1] - run[0]).total_seconds()


def signin_failures() -> int:
    """Failed sign-ins recorded in the audit log (kept at least 180 days)."""
    from shegong.core.models import AuditLog

    return (
        AuditLog.objects.unscoped(reason=SIGNIN_FAILURES)
        .filter(action=AuditLog.Action.LOGIN_FAILED)
        .count()
    )


SIGNIN_FAILURES = (
    "The operator's metrics count failed sign-ins over the whole deployment; only the number "
    "leaves, never a row."
)
