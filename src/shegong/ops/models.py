"""The background worker's heartbeat: the worker writes its row every minute (tasks.py), and
`/readyz` fails when the newest beat is older than `SHEGONG_HEARTBEAT_STALE_SECONDS`."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class WorkerHeartbeat(models.Model):
    """One row per worker host and process: when it last ran a heartbeat task. System data:
    no region, read only by the readiness check and the metrics."""

    worker = models.CharField(_("工作进程"), max_length=120, unique=True)
    beat_at = models.DateTimeField(_("最近心跳"), db_index=True)

    class Meta:
        verbose_name = _("后台进程心跳")
        verbose_name_plural = pgettext_lazy("plural", "后台进程心跳")
        ordering = ["-beat_at"]

    def __str__(self) -> str:
        return f"{self.worker} {self.beat_at:%Y-%m-%d %H:%M:%S}"
