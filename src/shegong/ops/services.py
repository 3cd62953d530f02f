"""Writes of the operations app: the worker's heartbeat."""

from __future__ import annotations

import os
import socket

from django.utils import timezone

from shegong.ops.models import WorkerHeartbeat


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:120]


def heartbeat_record(*, worker: str | None = None) -> WorkerHeartbeat:
    """Write (or move forward) the heartbeat of `worker` (default: this process)."""
    beat, _created = WorkerHeartbeat.objects.update_or_create(
        worker=worker or worker_name(), defaults={"beat_at": timezone.now()}
    )
    return beat
