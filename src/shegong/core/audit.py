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
    """Append one row to the audit log's hash chain (see `core.auditchain`), in the caller's
    transaction: if the act rolls back, so does its record."""
    from shegong.core import auditchain

    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    if obj is not None and not region_code:
        region_code = getattr(obj, "region_id", "") or getattr(obj, "region_code", "") or ""
    detail = auditchain.normalised_detail(detail)
    ip = client_ip(request)
    if ip is not None and not _is_ip(ip):
        # Never let an unparseable address fail the act: keep what was sent, in the detail.
        detail["unparsed_ip"] = str(ip)[:100]
        ip = None
    return auditchain.append(
        action=action,
        actor=actor,
        actor_name=_fit(actor_name or (actor.get_username() if actor is not None else ""), 150),
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=_fit(str(obj.pk), 64) if obj is not None else "",
        region_code=_fit(region_code or "", 12),
        detail=detail,
        ip=ip,
    )


def _fit(value: str, length: int) -> str:
    return value[:length]


def _is_ip(value: Any) -> bool:
    import ipaddress

    try:
        ipaddress.ip_address(str(value))
    except ValueError:
        return False
    return True
