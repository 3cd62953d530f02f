"""Writing the audit log. Called inside the same transaction as the act it records."""

from __future__ import annotations

from typing import Any

from django.db import models

from shegong.core.models import AuditLog


def client_ip(request) -> str | None:
    if request is None:
        return None
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    return (forwarded.split(",")[0].strip() or request.META.get("REMOTE_ADDR")) or None


def audit_record(
    *,
    action: str,
    actor: Any = None,
    actor_name: str = "",
    obj: models.Model | None = None,
    region_code: str = "",
    detail: dict | None = None,
    request: Any = None,
) -> AuditLog:
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    if obj is not None and not region_code:
        region_code = getattr(obj, "region_id", "") or getattr(obj, "region_code", "") or ""
    return AuditLog.objects.create(
        action=action,
        actor=actor,
        actor_name=actor_name or (actor.get_username() if actor is not None else ""),
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        region_code=region_code or "",
        detail=detail or {},
        ip=client_ip(request),
    )
